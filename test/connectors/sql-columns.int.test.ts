/**
 * SQL sources list a stream's columns without reading or counting a row: a table's from the
 * catalog, a query's from a query returning no source row (connectors/sql/column-list.ts).
 * `config check --connect` uses the listing to check a mapping's `when` columns on SQL sources too;
 * before, only export-file sources were checked, since a table's discovery counts its rows.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateSm2KeyPair } from '../../adapters/signers/local-sm2/keys.js';
import { loadConfig } from '../../config/loader.js';
import type { SourceConfig } from '../../config/types.js';
import { openSource } from '../../connectors/open-source.js';
import type { SourceConnector } from '../../connectors/source.js';
import { createLogger } from '../../core/logger.js';
import { checkConnections } from '../../pipelines/config-check.js';
import {
  createMariadbDatabase,
  createPgDatabase,
  type FreshMariadb,
  type FreshPg,
  MARIADB,
  pgSourceConfig,
} from './servers.js';

const quiet = createLogger({ level: 'silent' });
const dir = mkdtempSync(join(tmpdir(), 'licbridge-sql-columns-'));
const sqliteFile = join(dir, 'legacy.db');

let pgDb: FreshPg;
let maria: FreshMariadb;

beforeAll(async () => {
  const writer = new Database(sqliteFile);
  writer.exec('CREATE TABLE T_COLS (ID INTEGER PRIMARY KEY, ZT TEXT, GXSJ TEXT)');
  writer.exec("INSERT INTO T_COLS VALUES (1, '1', '2026-11-01 08:00:00'), (2, '2', '2026-11-02 08:00:00')");
  writer.close();
  pgDb = await createPgDatabase();
  await pgDb.client.query('CREATE TABLE "T_COLS" ("ID" int PRIMARY KEY, "ZT" char(1), "GXSJ" timestamp)');
  await pgDb.client.query(`INSERT INTO "T_COLS" VALUES (1, '1', now()), (2, '2', now())`);
  maria = await createMariadbDatabase();
  await maria.conn.query('CREATE TABLE T_COLS (ID INT PRIMARY KEY, ZT CHAR(1), GXSJ DATETIME)');
  await maria.conn.query("INSERT INTO T_COLS VALUES (1, '1', NOW()), (2, '2', NOW())");
});

afterAll(async () => {
  await pgDb?.drop();
  await maria?.drop();
  rmSync(dir, { recursive: true, force: true });
});

const sources: Record<string, () => SourceConfig> = {
  sqlite: () => ({ kind: 'sqlite', path: sqliteFile, trim: 'all', pageSize: 500 }),
  postgres: () => pgSourceConfig(pgDb.database),
  mysql: () => ({
    kind: 'mysql',
    connection: { host: MARIADB.host, port: MARIADB.port, user: MARIADB.user, database: maria.database },
    trim: 'all',
    pageSize: 500,
  }),
};

// Identifiers as each database keeps the quoted upper-case names.
const q = (kind: string, name: string) => (kind === 'postgres' ? `"${name}"` : name);

async function withSource<T>(kind: string, use: (c: SourceConnector) => Promise<T>): Promise<T> {
  const conn = await openSource(kind, (sources[kind] as () => SourceConfig)(), { logger: quiet });
  try {
    return await use(conn);
  } finally {
    await conn.close();
  }
}

describe.each(Object.keys(sources))('%s: a stream’s columns', (kind) => {
  it('a table’s from the catalog, in order', async () => {
    const columns = await withSource(
      kind,
      (c) => c.columns?.({ table: 'T_COLS', key: 'ID' }) ?? Promise.resolve([]),
    );
    expect(columns).toEqual(['ID', 'ZT', 'GXSJ']);
  });

  it('a query’s as a read names them, with its parameters bound, no row of it evaluated', async () => {
    // One over ID minus ID fails on PostgreSQL for any row evaluated (NULL elsewhere).
    const query = `SELECT ${q(kind, 'ID')}, ${q(kind, 'ZT')} AS ${q(kind, 'STATUS')}, 1 / (${q(kind, 'ID')} - ${q(kind, 'ID')}) AS ${q(kind, 'BOOM')} FROM ${q(kind, 'T_COLS')} WHERE ${q(kind, 'ZT')} = ?`;
    const columns = await withSource(
      kind,
      (c) => c.columns?.({ table: 'licences', key: 'ID', query, params: ['1'] }) ?? Promise.resolve([]),
    );
    expect(columns).toEqual(['ID', 'STATUS', 'BOOM']);
  });
});

describe('config check --connect: when columns against a SQL source', () => {
  it('locates a condition column neither the table nor the query has, on SQLite', async () => {
    const example = join(import.meta.dirname, '..', '..', 'examples', 'west-coast');
    const mapping = readFileSync(join(example, 'mappings', 'food-business-license.yaml'), 'utf8');
    const mappingFile = join(dir, 'food.yaml');
    writeFileSync(
      mappingFile,
      mapping.replace(
        '  status:\n    from: ZT\n',
        '  status:\n    from: ZT\n    when: { any: [{ column: ZT, equals: "1" }, { column: ZTBZ, equals: "1" }] }\n',
      ),
    );
    writeFileSync(join(dir, 'key.pem'), generateSm2KeyPair().privateKeyPem, { mode: 0o600 });
    const pipeline = (stream: string) => `
    source: legacy
    stream: ${stream}
    mapping: ${mappingFile}
    licenseType: 11370200MB12345674001
    issuer: { name: 青岛西海岸新区市场监督管理局, code: 11370211MB12345672 }
    signer: district-seal
    targets: [province]`;
    const configFile = join(dir, 'licbridge.yaml');
    writeFileSync(
      configFile,
      `ledger: { url: "sqlite://./ledger.db" }
queue: { redis: "redis://127.0.0.1:6379", prefix: check-when-sql }
catalog: ${join(example, 'catalog')}
sources:
  legacy: { kind: sqlite, path: ${sqliteFile} }
pipelines:
  table:${pipeline('{ table: T_COLS, key: ID, cursor: GXSJ }')}
  query:${pipeline('{ table: licences, key: ID, query: "SELECT ID, ZT, GXSJ FROM T_COLS" }')}
signers:
  district-seal: { kind: local-sm2, keyFile: ${join(dir, 'key.pem')}, sealId: "3702110000001" }
targets:
  province:
    kind: rest-json
    url: "http://127.0.0.1:9"
    auth: { scheme: hmac, appKey: test-app, secret: test-secret }
`,
    );
    const config = await loadConfig({ file: configFile, cwd: dir });
    const problems = await checkConnections(config, 5000, quiet);
    const line =
      readFileSync(mappingFile, 'utf8')
        .split('\n')
        .findIndex((l) => l.includes('ZTBZ')) + 1;
    const found = expect.objectContaining({
      file: mappingFile,
      line,
      path: 'fields.status.when.any.1.column',
      message: 'when: column `ZTBZ` is not a field of the source; its fields: `ID`, `ZT`, `GXSJ`',
    });
    // Once per pipeline: the table stream's catalog and the query stream's probe.
    expect(problems.filter((p) => p.path.includes('.when.'))).toEqual([found, found]);
    // A `from` column the table lacks would quarantine every row: located at its rule, too.
    const from = expect.objectContaining({
      file: mappingFile,
      path: 'fields.number.from',
      message: 'column `XKZBH` is not a field of the source; its fields: `ID`, `ZT`, `GXSJ`',
    });
    expect(problems.filter((p) => p.path === 'fields.number.from')).toEqual([from, from]);
  });
});
