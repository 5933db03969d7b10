/**
 * `config check --connect` checks a query stream's query in the database without reading a row
 * of it (connectors/sql/column-list.ts): a syntax error, a table the database does not have, or a
 * key the query does not return is a problem located at the pipeline's stream, naming the stream
 * and saying what the database said. Before, the check only lexed the query, and the column
 * listing for the mapping's conditions failed without a word, so such a pipeline passed the check
 * and failed at its first run. On SQLite, PostgreSQL and MariaDB.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateSm2KeyPair } from '../../adapters/signers/local-sm2/keys.js';
import { loadConfig } from '../../config/loader.js';
import { createLogger } from '../../core/logger.js';
import { checkConnections } from '../../pipelines/config-check.js';
import { licbridge } from '../support/cli.js';
import {
  createMariadbDatabase,
  createPgDatabase,
  type FreshMariadb,
  type FreshPg,
  MARIADB,
  PG,
} from './servers.js';

const quiet = createLogger({ level: 'silent' });
const EXAMPLE = join(import.meta.dirname, '..', '..', 'examples', 'west-coast');
const dir = mkdtempSync(join(tmpdir(), 'licbridge-check-queries-'));
const sqliteFile = join(dir, 'legacy.db');
const ID_NUMBER = '37021119800512341X';

const THIN_MAPPING = `fields:
  number: { const: N1 }
  status: { from: ZT, transform: [trim], lookup: { "1": valid, "0": revoked } }
`;

let pgDb: FreshPg;
let maria: FreshMariadb;
/** Stands in for the province platform: `config check --connect` only opens a TCP connection. */
let platform: Server;
let platformPort = 0;

beforeAll(async () => {
  const writer = new Database(sqliteFile);
  writer.exec('CREATE TABLE T_Q (ID INTEGER PRIMARY KEY, ZT TEXT, GXSJ TEXT)');
  writer.close();
  pgDb = await createPgDatabase();
  await pgDb.client.query('CREATE TABLE "T_Q" ("ID" int PRIMARY KEY, "ZT" char(1), "GXSJ" timestamp)');
  maria = await createMariadbDatabase();
  await maria.conn.query('CREATE TABLE T_Q (ID INT PRIMARY KEY, ZT CHAR(1), GXSJ DATETIME)');
  writeFileSync(join(dir, 'key.pem'), generateSm2KeyPair().privateKeyPem, { mode: 0o600 });
  // Reads only the columns T_Q has: a `from` column a table lacks is a problem of its own.
  writeFileSync(join(dir, 'thin.yaml'), THIN_MAPPING);
  platform = createServer((socket) => socket.destroy());
  await new Promise<void>((resolve) => platform.listen(0, '127.0.0.1', resolve));
  platformPort = (platform.address() as { port: number }).port;
});

afterAll(async () => {
  await new Promise((resolve) => platform?.close(resolve));
  await pgDb?.drop();
  await maria?.drop();
  rmSync(dir, { recursive: true, force: true });
});

const sourceYaml: Record<string, () => string> = {
  sqlite: () => `{ kind: sqlite, path: ${sqliteFile} }`,
  postgres: () =>
    `{ kind: postgres, connection: { host: ${PG.host}, port: ${PG.port}, user: ${PG.user}, database: ${pgDb.database} } }`,
  mysql: () =>
    `{ kind: mysql, connection: { host: ${MARIADB.host}, port: ${MARIADB.port}, user: ${MARIADB.user}, database: ${maria.database} } }`,
};

// Identifiers as each database keeps the upper-case names.
const q = (kind: string, name: string) => (kind === 'postgres' ? `"${name}"` : name);

function writeConfig(kind: string, queries: Record<string, string>): string {
  const pipelines = Object.entries(queries)
    .map(
      ([name, query]) => `  ${name}:
    source: legacy
    stream: { table: licences, key: ID, query: ${JSON.stringify(query)}${name === 'typed' ? `, params: ["${ID_NUMBER}"]` : ''} }
    mapping: ${join(dir, 'thin.yaml')}
    licenseType: 11370200MB12345674001
    issuer: { name: 青岛西海岸新区市场监督管理局, code: 11370211MB12345672 }
    signer: district-seal
    targets: [province]`,
    )
    .join('\n');
  const file = join(dir, `${kind}-${Object.keys(queries).join('-')}.yaml`);
  writeFileSync(
    file,
    `ledger: { url: "sqlite://./ledger.db" }
queue: { redis: "redis://127.0.0.1:6379", prefix: check-queries }
catalog: ${join(EXAMPLE, 'catalog')}
sources:
  legacy: ${(sourceYaml[kind] as () => string)()}
pipelines:
${pipelines}
signers:
  district-seal: { kind: local-sm2, keyFile: ${join(dir, 'key.pem')}, sealId: "3702110000001" }
targets:
  province:
    kind: rest-json
    url: "http://127.0.0.1:${platformPort}"
    # Read through a reference: a secret written inline is warned of (config-check-inline-secret).
    auth: { scheme: hmac, appKey: test-app, secret: "\${env:CHECK_QUERIES_SECRET:-test-secret}" }
`,
  );
  return file;
}

const lineOf = (file: string, text: string) =>
  readFileSync(file, 'utf8')
    .split('\n')
    .findIndex((l) => l.includes(text)) + 1;

describe.each(Object.keys(sourceYaml))('%s: config check --connect on query streams', (kind) => {
  it('locates a query the database refuses, and a key it does not return, at the stream', async () => {
    const n = (name: string) => q(kind, name);
    const file = writeConfig(kind, {
      good: `SELECT ${n('ID')}, ${n('ZT')}, ${n('GXSJ')} FROM ${n('T_Q')}`,
      broken: `SELECT ${n('ID')}, ${n('ZT')} FROM ${n('T_Q')} WHERE`,
      gone: `SELECT ${n('ID')}, ${n('ZT')} FROM ${n('T_GONE')}`,
      keyless: `SELECT ${n('ID')} AS ${n('XH')}, ${n('ZT')} FROM ${n('T_Q')}`,
    });
    const problems = await checkConnections(await loadConfig({ file, cwd: dir }), 10_000, quiet);
    const at = (pipeline: string, message: RegExp) =>
      expect.objectContaining({
        file,
        line: lineOf(file, `  ${pipeline}:`) + 2,
        path: `pipelines.${pipeline}.stream`,
        message: expect.stringMatching(message),
      });
    expect(problems).toEqual([
      at(
        'broken',
        /^source legacy: the query of stream `licences` is refused by the database: query failed: .*syntax/i,
      ),
      at(
        'gone',
        /^source legacy: the query of stream `licences` is refused by the database: (table or column not found|query failed): .*T_GONE/,
      ),
      at('keyless', /^source legacy: key column `ID` not returned by the query of stream `licences`: .*`XH`/),
    ]);
    // The database's words, not the probe's SQL around the stream's query.
    for (const p of problems) expect(p.message).not.toContain('lb_one');
  });
});

describe('the command', () => {
  it('exits 2 on a refused query, as on other connect problems, with a value the database echoed masked', async () => {
    const good = writeConfig('postgres', { good: 'SELECT "ID", "ZT", "GXSJ" FROM "T_Q"' });
    const ok = await licbridge(['config', 'check', '--connect', good], { cwd: dir });
    expect([ok.status, ok.stderr]).toEqual([0, '']);
    // An ID number bound to an integer column: PostgreSQL's refusal quotes it, hidden whole as
    // any value a driver quotes in an error (core/errors.ts printedMessage).
    const typed = writeConfig('postgres', {
      good: 'SELECT "ID", "ZT", "GXSJ" FROM "T_Q"',
      typed: 'SELECT "ID", "ZT", "GXSJ" FROM "T_Q" WHERE "ID" = ?',
    });
    const r = await licbridge(['config', 'check', '--connect', typed], { cwd: dir });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(
      new RegExp(
        `${typed}:${lineOf(typed, '  typed:') + 2}:\\d+: pipelines\\.typed\\.stream: source legacy: the query of stream \`licences\` is refused by the database: query failed: .*"\\*\\*\\*"`,
      ),
    );
    expect(r.stderr).not.toContain(ID_NUMBER);
    expect(r.stderr).not.toContain('lb_one');
  });
});
