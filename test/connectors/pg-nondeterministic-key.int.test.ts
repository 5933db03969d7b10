/**
 * A PostgreSQL key column under a nondeterministic collation (`CREATE COLLATION … deterministic =
 * false`, an ICU case-insensitive one here): the server takes `'A1'` and `'a1'` for one value, while
 * a run keys each row by its stored text, so they are two licenses. Rows of both spellings, with
 * different cursors in different pages, must each be read once as their own license: none given
 * way to the other's row as if an older row of one key, none skipped at a page's end; a key held
 * twice as stored still settles on its newer row. A `citext` key column compares the same way.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSource } from '../../connectors/open-source.js';
import type { SourceConnector, SourceRow } from '../../connectors/source.js';
import { createLogger } from '../../core/logger.js';
import { readAll } from './conformance.js';
import { pgFamilyConfig } from './pg-family-fixture.js';
import { createPgDatabase, type FreshPg } from './servers.js';

const quiet = createLogger({ level: 'silent' });

/** [table, key column type]: a case-insensitive nondeterministic ICU collation, and citext. */
const TABLES = [
  ['t_ci', 'varchar(10) COLLATE lb_ci'],
  ['t_citext', 'citext'],
] as const;

let fresh: FreshPg;
let connector: SourceConnector;
beforeAll(async () => {
  fresh = await createPgDatabase();
  await fresh.client.query(
    `CREATE COLLATION lb_ci (provider = icu, locale = 'und-u-ks-level2', deterministic = false)`,
  );
  await fresh.client.query('CREATE EXTENSION citext');
  // Not unique (a legacy key column), indexed: each page asks for its keys' other rows.
  for (const [table, type] of TABLES) {
    await fresh.client.query(
      `CREATE TABLE ${table} (bh ${type} NOT NULL, gxsj timestamp(6) NOT NULL, mc varchar(10))`,
    );
    await fresh.client.query(`CREATE INDEX ix_${table}_bh ON ${table} (bh)`);
    await fresh.client.query(
      `INSERT INTO ${table} VALUES ('A1', '2024-03-01 08:00:01', 'a'), ('B1', '2024-03-01 08:00:02', 'b'),
         ('a1', '2024-03-01 08:00:03', 'c'), ('b1', '2024-03-01 08:00:03', 'd'),
         ('C1', '2024-03-01 08:00:04', 'e'), ('c1', '2024-03-01 08:00:04', 'f'),
         ('D1', '2024-03-01 08:00:05', 'g'), ('d1', '2024-03-01 08:00:06', 'h'), ('D1', '2024-03-01 08:00:07', 'i')`,
    );
  }
  connector = await openSource('ci', pgFamilyConfig('postgres', fresh.database), { logger: quiet });
});
afterAll(async () => {
  await connector?.close();
  await fresh?.drop();
});

const seen = (rows: SourceRow[]) =>
  rows
    .map((r) => [r.values.mc, r.key, r.problems?.map((p) => p.code) ?? []] as const)
    .sort((a, b) => String(a[0]).localeCompare(String(b[0])));

const ALL = [
  ['a', 'A1', []],
  ['b', 'B1', []],
  ['c', 'a1', []],
  ['d', 'b1', []],
  ['e', 'C1', []],
  ['f', 'c1', []],
  // D1 held twice as stored: its older row gives way to its newer one, not to d1's.
  ['h', 'd1', []],
  ['i', 'D1', []],
];

describe.each(TABLES)('PostgreSQL key column %s of type %s, which takes a1 for A1', (table) => {
  it.each([100, 2, 1])('reads every spelling once as its own license, %i rows a page', async (size) => {
    const pages = await readAll(connector, { table, key: 'bh', cursor: 'gxsj' }, size);
    expect(seen(pages.flatMap((p) => p.rows))).toEqual(ALL);
  });

  it('lists every stored key once in the key set', async () => {
    for (const chunkSize of [100, 1]) {
      const keys: string[] = [];
      for await (const chunk of connector.keys({ table, key: 'bh', cursor: 'gxsj' }, { chunkSize }))
        keys.push(...chunk);
      expect([...new Set(keys)].sort()).toEqual(['A1', 'B1', 'C1', 'D1', 'a1', 'b1', 'c1', 'd1']);
    }
  });
});
