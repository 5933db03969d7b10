/**
 * Keys that differ as stored only by trailing spaces (`'K1'` and `'K1 '`) in a key column that is
 * unique where comparison does not pad: PostgreSQL's text and varchar (MySQL 8's `utf8mb4_0900_*`,
 * MariaDB's `*_nopad_*` and SQLite's alike). Under `trim` (the default) both read as `K1`. In one
 * page they were quarantined as ambiguous (row-keys.ts); in two pages — a page boundary between
 * them, in cursor or key order — each was delivered as license `K1`, the later a new version of the
 * other, another holder's, and every full read made both versions again. The look-up of a page's
 * keys' other rows was not made for a unique key, and made by equality, which does not find
 * `'K1'` for `'K1 '` here. A page holding a key stored with trailing spaces now asks the source
 * for that key trimmed, and the row is quarantined as ambiguous when the source holds it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SourceConfig } from '../../config/types.js';
import { openSource } from '../../connectors/open-source.js';
import type { SourceRow, StreamSpec } from '../../connectors/source.js';
import { createLogger } from '../../core/logger.js';
import { readAll } from './conformance.js';
import { createPgDatabase, type FreshPg, PG } from './servers.js';

const quiet = createLogger({ level: 'silent' });

let fresh: FreshPg;
beforeAll(async () => {
  fresh = await createPgDatabase();
  await fresh.client.query(
    'CREATE TABLE t_pad (bh varchar(10) PRIMARY KEY, gxsj timestamp(6) NOT NULL, mc varchar(10))',
  );
  await fresh.client.query(
    `INSERT INTO t_pad VALUES ('K0', '2024-03-01 08:00:00', 'a'), ('K1', '2024-03-01 08:00:01', 'b'),
       ('K2', '2024-03-01 08:00:02', 'd'), ('K1 ', '2024-03-01 08:00:03', 'c')`,
  );
});
afterAll(async () => {
  await fresh.drop();
});

const config = (trim: SourceConfig['trim']): SourceConfig => ({
  kind: 'postgres',
  connection: { host: PG.host, port: PG.port, user: PG.user, database: fresh.database },
  trim,
  pageSize: 500,
});

async function rowsOf(stream: StreamSpec, pageSize: number, trim: SourceConfig['trim'] = 'all') {
  const connector = await openSource('pad', config(trim), { logger: quiet });
  try {
    return (await readAll(connector, stream, pageSize)).flatMap((p) => p.rows);
  } finally {
    await connector.close();
  }
}

/** Each row as (content, key, problems), by content. */
const seen = (rows: SourceRow[]) =>
  rows
    .map((r) => [r.values.mc, r.key, r.problems?.map((p) => p.code) ?? []] as const)
    .sort((a, b) => String(a[0]).localeCompare(String(b[0])));

/** The rows read as license `K1`, unquarantined. */
const takenAsK1 = (rows: SourceRow[]) =>
  rows.filter((r) => r.key === 'K1' && (r.problems ?? []).length === 0).map((r) => r.values.mc);

describe('PostgreSQL unique keys that read the same under trim, in different pages', () => {
  const streams: [string, StreamSpec][] = [
    ['a cursor stream', { table: 't_pad', key: 'bh', cursor: 'gxsj' }],
    ['a key-only stream', { table: 't_pad', key: 'bh' }],
  ];
  for (const [name, stream] of streams) {
    it(`${name}: the padded spelling is quarantined as ambiguous, at every page size`, async () => {
      for (const size of [1, 2, 3, 500]) {
        const rows = await rowsOf(stream, size);
        const padded = rows.find((r) => r.values.mc === 'c');
        expect(
          padded?.problems?.map((p) => p.code),
          `page size ${size}`,
        ).toEqual(['LB_SOURCE_KEY_AMBIGUOUS']);
        // Never two rows taken as one license.
        expect(takenAsK1(rows).length, `page size ${size}`).toBeLessThanOrEqual(1);
      }
    });
  }

  it('leaves keys without such a twin alone, and both spellings apart without trim', async () => {
    const rows = await rowsOf({ table: 't_pad', key: 'bh', cursor: 'gxsj' }, 1);
    expect(seen(rows).filter(([mc]) => mc === 'a' || mc === 'd')).toEqual([
      ['a', 'K0', []],
      ['d', 'K2', []],
    ]);
    expect(seen(await rowsOf({ table: 't_pad', key: 'bh', cursor: 'gxsj' }, 1, 'none'))).toEqual([
      ['a', 'K0', []],
      ['b', 'K1', []],
      ['c', 'K1 ', []],
      ['d', 'K2', []],
    ]);
  });
});
