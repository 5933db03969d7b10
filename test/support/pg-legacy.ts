/**
 * The demo department with its legacy table in PostgreSQL instead of SQLite: a demo workspace
 * whose generated `T_SPXK_XKZ` rows are copied into a fresh PostgreSQL database (GXSJ as
 * `timestamp(6)`, as a real server keeps it) and indexed on (GXSJ, ID) as the generated SQLite
 * table is, and a config whose source points there.
 */
import { writeFile } from 'node:fs/promises';
import Database from 'better-sqlite3';
import type pg from 'pg';
import { LEGACY_COLUMNS, LEGACY_TABLE } from '../../examples/west-coast/generate-legacy-db.js';
import { createPgDatabase, type FreshPg } from '../connectors/servers.js';
import { createDemoWorkspace, type DemoWorkspace, demoConfigYaml } from './demo-workspace.js';

export interface PgLegacyWorkspace extends DemoWorkspace {
  pg: FreshPg;
  /** Every source key (ID) in the legacy table. */
  keys: string[];
}

const PG_DDL = `CREATE TABLE "${LEGACY_TABLE}" (
  "ID" integer PRIMARY KEY, "XKZBH" char(20), "JYZMC" varchar(200), "TYSHXYDM" char(18),
  "FDDBR" varchar(50), "FDDBRSFZ" char(18), "JYCS" varchar(300), "ZTYT" varchar(50),
  "JYXM" varchar(500), "FZRQ" char(8), "YXQZ" char(8), "FZJG" varchar(100), "ZT" char(1),
  "XZQH" char(6), "GXSJ" timestamp(6), "YZSBH" char(20))`;

// The index the onboarding guide asks a department for, as the SQLite demo has it (LEGACY_INDEXES
// in generate-legacy-db.ts, quoted here because the table's names are upper case): without it
// every keyset page of the copy scans and sorts the table, and the source warns about it.
const PG_INDEX = `CREATE INDEX "IX_${LEGACY_TABLE}_GXSJ_ID" ON "${LEGACY_TABLE}" ("GXSJ", "ID")`;

export async function createPgLegacyWorkspace(options: {
  rows: number;
  /** Extra YAML lines for the source (indented by the caller), e.g. a rows-per-second ceiling. */
  sourceExtra?: string;
  pageSize?: number;
}): Promise<PgLegacyWorkspace> {
  const ws = await createDemoWorkspace({ rows: options.rows });
  const fresh = await createPgDatabase();
  await fresh.client.query(PG_DDL);
  const sqlite = new Database(ws.legacyDb, { readonly: true });
  const rows = sqlite.prepare(`SELECT * FROM ${LEGACY_TABLE} ORDER BY ID`).all() as Record<string, unknown>[];
  sqlite.close();
  const cols = LEGACY_COLUMNS.map((c) => `"${c}"`).join(', ');
  const client: pg.Client = fresh.client;
  // Many rows per statement instead of a round trip per row.
  const ROWS_PER_INSERT = 200;
  await client.query('BEGIN');
  for (let from = 0; from < rows.length; from += ROWS_PER_INSERT) {
    const chunk = rows.slice(from, from + ROWS_PER_INSERT);
    const n = LEGACY_COLUMNS.length;
    const tuples = chunk.map((_r, j) => `(${LEGACY_COLUMNS.map((_c, i) => `$${j * n + i + 1}`).join(', ')})`);
    await client.query(
      `INSERT INTO "${LEGACY_TABLE}" (${cols}) VALUES ${tuples.join(', ')}`,
      chunk.flatMap((r) => LEGACY_COLUMNS.map((c) => r[c])),
    );
  }
  await client.query('COMMIT');
  // Built after the copy: one sort instead of an index update per inserted row.
  await client.query(PG_INDEX);
  const source = `market-food: { kind: postgres, connection: { host: 127.0.0.1, port: 5432, user: postgres, database: ${fresh.database} }, trim: all${options.sourceExtra ? `, ${options.sourceExtra}` : ''} }`;
  const yaml = demoConfigYaml({ prefix: ws.prefix, simulatorUrl: ws.simulator.url })
    .replace(/market-food: \{ kind: sqlite[^\n]*\}/, source)
    .replace(/pageSize: \d+/, `pageSize: ${options.pageSize ?? 100}`);
  if (!yaml.includes('kind: postgres')) throw new Error('pg-legacy: the demo config changed shape');
  await writeFile(ws.configFile, yaml);
  return {
    ...ws,
    pg: fresh,
    keys: rows.map((r) => String(r.ID)),
    async cleanup() {
      await ws.cleanup();
      await fresh.drop();
    },
  };
}
