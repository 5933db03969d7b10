/**
 * The column probe behind `config check --connect` and a mapping's `when` columns compiles a query
 * stream's query without running it. Wrapped in the probe's outer join, a query MariaDB or SQLite
 * cannot merge into the outer one (ORDER BY with LIMIT, GROUP BY, UNION) was materialized whole
 * before the join's false condition was looked at: a query that reads a big table took as long to
 * check as a full read of it. Here each query fails only when a row of it is computed (MariaDB:
 * a scalar subquery of more than one row; SQLite: json() of a text that is not JSON), so the
 * check passing shows no row was computed.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSource } from '../../connectors/open-source.js';
import type { SourceConnector } from '../../connectors/source.js';
import { createLogger } from '../../core/logger.js';
import {
  createMariadbDatabase,
  createPgDatabase,
  type FreshMariadb,
  type FreshPg,
  MARIADB,
  PG,
} from './servers.js';

const quiet = createLogger({ level: 'silent' });
const SIZES = { trim: 'all', pageSize: 500 } as const;
const dir = mkdtempSync(join(tmpdir(), 'licbridge-column-probe-'));
const sqliteFile = join(dir, 'legacy.db');
let maria: FreshMariadb;
let pgDb: FreshPg;

beforeAll(async () => {
  const writer = new Database(sqliteFile);
  writer.exec(
    "CREATE TABLE T_P (ID INTEGER PRIMARY KEY, MC TEXT); INSERT INTO T_P VALUES (1, 'a'), (2, 'b')",
  );
  writer.close();
  maria = await createMariadbDatabase();
  await maria.conn.query('CREATE TABLE T_P (ID INT PRIMARY KEY, MC TEXT)');
  await maria.conn.query("INSERT INTO T_P VALUES (1, 'a'), (2, 'b')");
  pgDb = await createPgDatabase();
  await pgDb.client.query('CREATE TABLE "T_P" ("ID" int PRIMARY KEY, "MC" text)');
  await pgDb.client.query(`INSERT INTO "T_P" VALUES (1, 'a'), (2, 'b')`);
});

afterAll(async () => {
  await maria?.drop();
  await pgDb?.drop();
  rmSync(dir, { recursive: true, force: true });
});

async function probe(open: () => Promise<SourceConnector>, query: string): Promise<string[]> {
  const connector = await open();
  try {
    const stream = { table: 'q', key: 'ID', query };
    await connector.checkStream?.(stream);
    return (await connector.columns?.(stream)) ?? [];
  } finally {
    await connector.close();
  }
}

const openMaria = () =>
  openSource(
    'm',
    { kind: 'mysql', connection: { ...MARIADB, database: maria.database }, ...SIZES },
    { logger: quiet },
  );
const openSqlite = () => openSource('s', { kind: 'sqlite', path: sqliteFile, ...SIZES }, { logger: quiet });
const openPg = () =>
  openSource(
    'p',
    { kind: 'postgres', connection: { ...PG, database: pgDb.database }, ...SIZES },
    { logger: quiet },
  );

describe('the column probe computes no row of a query stream', () => {
  const everyRowFails = '(SELECT ID FROM T_P) AS OTHER';
  for (const [shape, query] of [
    ['ORDER BY with LIMIT', `SELECT ID, ${everyRowFails} FROM T_P ORDER BY ID LIMIT 5`],
    ['GROUP BY', `SELECT ID, ${everyRowFails} FROM T_P GROUP BY ID`],
    ['UNION', `SELECT ID, ${everyRowFails} FROM T_P UNION SELECT 3, 3`],
    ['a CTE', `WITH c AS (SELECT ID FROM T_P ORDER BY ID LIMIT 5) SELECT ID, ${everyRowFails} FROM c`],
  ] as const) {
    it(`MariaDB: ${shape}`, async () => {
      expect(await probe(openMaria, query)).toEqual(['ID', 'OTHER']);
    });
    it(`PostgreSQL: ${shape}`, async () => {
      expect(
        await probe(
          openPg,
          query.replaceAll('ID', '"ID"').replaceAll('T_P', '"T_P"').replace('AS OTHER', 'AS "OTHER"'),
        ),
      ).toEqual(['ID', 'OTHER']);
    });
  }

  for (const [shape, query] of [
    ['ORDER BY with LIMIT', 'SELECT ID, json(MC) AS J FROM T_P ORDER BY MC LIMIT 5'],
    ['GROUP BY', 'SELECT ID, json(MC) AS J FROM T_P GROUP BY ID'],
    ['UNION', "SELECT ID, json(MC) AS J FROM T_P UNION SELECT 3, '3'"],
  ] as const) {
    it(`SQLite: ${shape}`, async () => {
      expect(await probe(openSqlite, query)).toEqual(['ID', 'J']);
    });
  }

  it('still has the database refuse a query naming a column it does not have', async () => {
    const query = 'SELECT ID, NOPE FROM T_P ORDER BY ID LIMIT 5';
    for (const open of [openMaria, openSqlite]) {
      await expect(probe(open, query)).rejects.toThrow(/refused by the database.*NOPE/i);
    }
  });
});
