/**
 * MySQL/MariaDB keys that differ only by trailing spaces. Under a PAD SPACE collation (the default
 * for most of them) `'K1' = 'K1 '`, so a key column that is not unique can hold both, and a keyset
 * page that ends on one of them resumes with `key > 'K1'`, which the other does not satisfy.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SourceConfig } from '../../config/types.js';
import { openSource } from '../../connectors/open-source.js';
import type { SourceRow } from '../../connectors/source.js';
import { createLogger } from '../../core/logger.js';
import { readAll } from './conformance.js';
import { createMariadbDatabase, type FreshMariadb, MARIADB } from './servers.js';

const quiet = createLogger({ level: 'silent' });

let fresh: FreshMariadb;
beforeAll(async () => {
  fresh = await createMariadbDatabase();
  // A non-unique key: a unique index under PAD SPACE refuses 'K1 ' next to 'K1'.
  await fresh.conn.query(
    'CREATE TABLE T_PAD (BH VARCHAR(10) NOT NULL, GXSJ DATETIME(6) NOT NULL, MC VARCHAR(10), KEY (BH), KEY (GXSJ, BH)) COLLATE utf8mb4_general_ci',
  );
  // 4,998 keys before K0: the reconciliation scan's 5,000-row page ends on the first K1.
  await fresh.conn.query(
    'CREATE TABLE T_PAD_BIG (BH VARCHAR(10) NOT NULL, MC VARCHAR(10), KEY (BH)) COLLATE utf8mb4_general_ci',
  );
  await fresh.conn.query(
    "INSERT INTO T_PAD_BIG SELECT CONCAT('A', LPAD(seq, 5, '0')), 'x' FROM seq_1_to_4998",
  );
  await fresh.conn.query("INSERT INTO T_PAD_BIG VALUES ('K0', 'a'), ('K1', 'b'), ('K1 ', 'c'), ('K2', 'd')");
  await fresh.conn.query(
    `INSERT INTO T_PAD VALUES ('K0', '2024-03-01 08:00:00', 'a'), ('K1', '2024-03-01 08:00:01', 'b'),
       ('K1 ', '2024-03-01 08:00:01', 'c'), ('K2', '2024-03-01 08:00:02', 'd')`,
  );
});
afterAll(async () => {
  await fresh.drop();
});

const config = (trim: SourceConfig['trim']): SourceConfig => ({
  kind: 'mysql',
  connection: { host: MARIADB.host, port: MARIADB.port, user: MARIADB.user, database: fresh.database },
  trim,
  pageSize: 500,
});

async function rowsOf(
  trim: SourceConfig['trim'],
  stream: { table: string; key: string; cursor?: string; query?: string },
  pageSize: number,
): Promise<SourceRow[]> {
  const connector = await openSource('pad', config(trim), { logger: quiet });
  try {
    return (await readAll(connector, stream, pageSize)).flatMap((p) => p.rows);
  } finally {
    await connector.close();
  }
}

/** [key, MC, problem codes] of each row, by MC: the order within a tie is the database's. */
const seen = (rows: SourceRow[]) =>
  rows
    .map((r) => [r.values.MC, r.key, r.problems?.map((p) => p.code) ?? []] as const)
    .sort((a, b) => String(a[0]).localeCompare(String(b[0])));

const AMBIGUOUS = 'LB_SOURCE_KEY_AMBIGUOUS';

describe('MariaDB keys differing only by trailing spaces, a page boundary between them', () => {
  // Pages of two: K0 and one of the K1s, then the other K1 — which `BH > 'K1'` used to skip.
  for (const cursor of [undefined, 'GXSJ']) {
    const stream = { table: 'T_PAD', key: 'BH', ...(cursor ? { cursor } : {}) };
    const shape = cursor ? 'a cursor stream' : 'a key-only stream';

    it(`${shape} under trim: both K1 rows are read and quarantined as ambiguous, not one taken`, async () => {
      const paged = await rowsOf('all', stream, 2);
      expect(seen(paged)).toEqual([
        ['a', 'K0', []],
        ['b', 'K1', [AMBIGUOUS]],
        ['c', 'K1', [AMBIGUOUS]],
        ['d', 'K2', []],
      ]);
      expect(seen(paged)).toEqual(seen(await rowsOf('all', stream, 100)));
    });

    it(`${shape} without trim: both K1 rows are read under their own keys`, async () => {
      const paged = await rowsOf('none', stream, 2);
      expect(seen(paged)).toEqual([
        ['a', 'K0', []],
        ['b', 'K1', []],
        ['c', 'K1 ', []],
        ['d', 'K2', []],
      ]);
    });

    it(`${shape}, page size 1: every page ends inside the tie and nothing is read twice`, async () => {
      const paged = await rowsOf('none', stream, 1);
      expect(paged.map((r) => r.values.MC).sort()).toEqual(['a', 'b', 'c', 'd']);
    });
  }

  it('a query stream, whose key the catalog cannot call unique, keeps the tie in one page too', async () => {
    const paged = await rowsOf('all', { table: 'pad', key: 'BH', query: 'SELECT BH, MC FROM T_PAD' }, 2);
    expect(seen(paged)).toEqual([
      ['a', 'K0', []],
      ['b', 'K1', [AMBIGUOUS]],
      ['c', 'K1', [AMBIGUOUS]],
      ['d', 'K2', []],
    ]);
  });

  it('the key list of the light check, in chunks of two, holds both K1 keys', async () => {
    const connector = await openSource('pad', config('none'), { logger: quiet });
    try {
      const keys: string[] = [];
      for await (const chunk of connector.keys({ table: 'T_PAD', key: 'BH' }, { chunkSize: 2 }))
        keys.push(...chunk);
      expect(keys.sort()).toEqual(['K0', 'K1', 'K1 ', 'K2']);
    } finally {
      await connector.close();
    }
  });

  it('the drill-down of reconciliation, pages of two, reads both K1 rows', async () => {
    const connector = await openSource('pad', config('none'), { logger: quiet });
    try {
      const rows: SourceRow[] = [];
      const read = connector.readBuckets?.(
        { table: 'T_PAD', key: 'BH' },
        { buckets: 1, wanted: [0], pageSize: 2 },
      );
      for await (const part of read ?? []) rows.push(...part.rows);
      expect(seen(rows).map((r) => r[1])).toEqual(['K0', 'K1', 'K1 ', 'K2']);
    } finally {
      await connector.close();
    }
  });

  it('the key-order scan of reconciliation (a query stream), its page ending inside the tie, reads both', async () => {
    const connector = await openSource('pad', config('none'), { logger: quiet });
    try {
      const rows: SourceRow[] = [];
      const stream = { table: 'big', key: 'BH', query: 'SELECT BH, MC FROM T_PAD_BIG' };
      for await (const part of connector.readBuckets?.(stream, { buckets: 1, wanted: [0], pageSize: 500 }) ??
        [])
        rows.push(...part.rows);
      expect(rows).toHaveLength(5002);
      expect(
        rows
          .filter((r) => r.key.startsWith('K'))
          .map((r) => r.key)
          .sort(),
      ).toEqual(['K0', 'K1', 'K1 ', 'K2']);
    } finally {
      await connector.close();
    }
  });
});
