/**
 * MySQL/MariaDB key columns under their default collations, which take `'a1'` for `'A1'`
 * (case-insensitive), `'e1'` for `'é1'` (accent-insensitive) and, but for the NO PAD ones, `'A1 '`
 * for `'A1'` (PAD SPACE). A run keys each row by its stored text, so these are licenses of their
 * own. With different cursors in different pages, each row must be read once under its own key:
 * none giving way to another spelling's newer row as if an older row of one key, none skipped at a
 * page's end; a key held twice as stored still settles on its newer row. Under `trim` the keys that
 * differ only by trailing spaces read as one and are quarantined as ambiguous, never merged.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SourceConfig } from '../../config/types.js';
import { openSource } from '../../connectors/open-source.js';
import type { SourceConnector, SourceRow, StreamSpec } from '../../connectors/source.js';
import { createLogger } from '../../core/logger.js';
import { readAll } from './conformance.js';
import { createMariadbDatabase, type FreshMariadb, MARIADB } from './servers.js';

const quiet = createLogger({ level: 'silent' });

/**
 * MariaDB's default, its older Unicode one, its UCA 14 accent-insensitive one, MySQL 5's latin1
 * default (all PAD SPACE), and a NO PAD one, as MySQL 8's default `utf8mb4_0900_ai_ci` is.
 */
const COLLATIONS = [
  ['utf8mb4_general_ci', true],
  ['utf8mb4_unicode_ci', true],
  ['utf8mb4_uca1400_ai_ci', true],
  // MySQL 5's default, still that of many legacy tables.
  ['latin1_swedish_ci', true],
  ['utf8mb4_general_nopad_ci', false],
] as const;

let fresh: FreshMariadb;
beforeAll(async () => {
  fresh = await createMariadbDatabase();
  for (const [i, [collation]] of COLLATIONS.entries()) {
    // Not unique (a legacy key column), indexed: each page asks for its keys' other rows.
    await fresh.conn.query(
      `CREATE TABLE T_${i} (BH VARCHAR(10) NOT NULL, GXSJ DATETIME(6) NOT NULL, MC VARCHAR(10), KEY (BH), KEY (GXSJ, BH)) CHARACTER SET ${collation.split('_')[0]} COLLATE ${collation}`,
    );
    await fresh.conn.query(
      `INSERT INTO T_${i} VALUES ('A1', '2024-03-01 08:00:01', 'a'), ('B1', '2024-03-01 08:00:02', 'b'),
         ('a1', '2024-03-01 08:00:03', 'c'), ('A1 ', '2024-03-01 08:00:04', 'd'),
         ('é1', '2024-03-01 08:00:05', 'e'), ('e1', '2024-03-01 08:00:06', 'f'), ('E1', '2024-03-01 08:00:06', 'g'),
         ('C1', '2024-03-01 08:00:07', 'h'), ('c1', '2024-03-01 08:00:07', 'i'), ('C1', '2024-03-01 08:00:08', 'j')`,
    );
  }
});
afterAll(async () => {
  await fresh?.drop();
});

async function withSource<T>(
  trim: SourceConfig['trim'],
  use: (c: SourceConnector) => Promise<T>,
): Promise<T> {
  const connector = await openSource(
    'ci',
    {
      kind: 'mysql',
      connection: { host: MARIADB.host, port: MARIADB.port, user: MARIADB.user, database: fresh.database },
      trim,
      pageSize: 500,
    },
    { logger: quiet },
  );
  try {
    return await use(connector);
  } finally {
    await connector.close();
  }
}

/** [MC, key, problem codes] of each row, by MC: the order within a tie is the database's. */
const seen = (rows: SourceRow[]) =>
  rows
    .map((r) => [r.values.MC, r.key, r.problems?.map((p) => p.code) ?? []] as const)
    .sort((a, b) => String(a[0]).localeCompare(String(b[0])));

const AMBIGUOUS = 'LB_SOURCE_KEY_AMBIGUOUS';
const DUPLICATE = 'LB_SOURCE_KEY_DUPLICATE';

/** A cursor stream, `trim: none`: every spelling its own license; C1 held twice settles on its newer row. */
const EACH = [
  ['a', 'A1', []],
  ['b', 'B1', []],
  ['c', 'a1', []],
  ['d', 'A1 ', []],
  ['e', 'é1', []],
  ['f', 'e1', []],
  ['g', 'E1', []],
  ['i', 'c1', []],
  ['j', 'C1', []],
];

const SIZES = [100, 3, 2, 1];

describe.each(COLLATIONS.map(([c, padSpace], i) => [c, `T_${i}`, padSpace] as const))(
  'MariaDB key column under %s',
  (_, table, padSpace) => {
    const cursorStream: StreamSpec = { table, key: 'BH', cursor: 'GXSJ' };

    it('a cursor stream reads every spelling once as its own license, at every page size', async () => {
      await withSource('none', async (c) => {
        for (const size of SIZES)
          expect(seen((await readAll(c, cursorStream, size)).flatMap((p) => p.rows))).toEqual(EACH);
      });
    });

    it('a query stream does too', async () => {
      const stream = { table: 'q', key: 'BH', cursor: 'GXSJ', query: `SELECT BH, GXSJ, MC FROM ${table}` };
      await withSource('none', async (c) => {
        for (const size of SIZES)
          expect(seen((await readAll(c, stream, size)).flatMap((p) => p.rows))).toEqual(EACH);
      });
    });

    // Under NO PAD the database tells 'A1 ' from 'A1', so only rows of one page are compared
    // (docs/connectors.md, keys that read the same): one page of all the rows.
    it('under trim, A1 and A1 (trailing space) are quarantined as ambiguous; the other spellings are read', async () => {
      await withSource('all', async (c) => {
        for (const size of padSpace ? SIZES : [100])
          expect(seen((await readAll(c, cursorStream, size)).flatMap((p) => p.rows))).toEqual(
            EACH.map(([mc, key]) => (mc === 'a' || mc === 'd' ? [mc, 'A1', [AMBIGUOUS]] : [mc, key, []])),
          );
      });
    });

    it('a key-only stream reads every spelling; only C1, held twice with nothing to tell them apart, is a duplicate', async () => {
      await withSource('none', async (c) => {
        for (const size of SIZES)
          expect(seen((await readAll(c, { table, key: 'BH' }, size)).flatMap((p) => p.rows))).toEqual([
            ...EACH.slice(0, 7),
            ['h', 'C1', [DUPLICATE]],
            ['i', 'c1', []],
            ['j', 'C1', [DUPLICATE]],
          ]);
      });
    });

    it("reconciliation sees every spelling: the light check's key set and the drill-down", async () => {
      await withSource('none', async (c) => {
        for (const chunkSize of [100, 2, 1]) {
          const keys: string[] = [];
          for await (const chunk of c.keys(cursorStream, { chunkSize })) keys.push(...chunk);
          expect([...new Set(keys)].sort()).toEqual(['A1', 'A1 ', 'B1', 'C1', 'E1', 'a1', 'c1', 'e1', 'é1']);
        }
        for (const pageSize of [100, 2, 1]) {
          const rows: SourceRow[] = [];
          for await (const part of c.readBuckets?.(cursorStream, { buckets: 1, wanted: [0], pageSize }) ?? [])
            rows.push(...part.rows);
          expect(seen(rows)).toEqual(EACH);
        }
      });
    });
  },
);
