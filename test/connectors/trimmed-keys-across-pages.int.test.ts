/**
 * Keys that differ as stored only by trailing spaces (`'K1'` and `'K1 '`), read under `trim`, on
 * rows in different pages: a cursor stream whose two rows carry different cursors, so no tie holds
 * them in one page (tied-rows.ts). Read in one page they are quarantined as ambiguous (row-keys.ts);
 * read in two, each was delivered as license `K1`, the later one a new version of the other's. The
 * look-up of a page's keys' other rows (key-cursors.ts), which under MariaDB's PAD SPACE collation
 * finds `'K1 '` for `'K1'`, now tells each page of the other spelling.
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
  await fresh.conn.query(
    'CREATE TABLE T_PADC (BH VARCHAR(10) NOT NULL, GXSJ DATETIME(6) NOT NULL, MC VARCHAR(10), KEY (BH), KEY (GXSJ, BH)) COLLATE utf8mb4_general_ci',
  );
  await fresh.conn.query(
    `INSERT INTO T_PADC VALUES ('K0', '2024-03-01 08:00:00', 'a'), ('K1', '2024-03-01 08:00:01', 'b'),
       ('K2', '2024-03-01 08:00:02', 'd'), ('K1 ', '2024-03-01 08:00:03', 'c')`,
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

async function rowsOf(pageSize: number, trim: SourceConfig['trim'] = 'all'): Promise<SourceRow[]> {
  const connector = await openSource('padc', config(trim), { logger: quiet });
  try {
    return (await readAll(connector, { table: 'T_PADC', key: 'BH', cursor: 'GXSJ' }, pageSize)).flatMap(
      (p) => p.rows,
    );
  } finally {
    await connector.close();
  }
}

const seen = (rows: SourceRow[]) =>
  rows
    .map((r) => [r.values.MC, r.key, r.problems?.map((p) => p.code) ?? []] as const)
    .sort((a, b) => String(a[0]).localeCompare(String(b[0])));

describe('MariaDB keys that read the same under trim, with different cursors, in different pages', () => {
  it('are quarantined as ambiguous, as when read in one page', async () => {
    const whole = seen(await rowsOf(100));
    expect(whole).toEqual([
      ['a', 'K0', []],
      ['b', 'K1', ['LB_SOURCE_KEY_AMBIGUOUS']],
      ['c', 'K1', ['LB_SOURCE_KEY_AMBIGUOUS']],
      ['d', 'K2', []],
    ]);
    expect(seen(await rowsOf(2))).toEqual(whole);
    // Each page alone, as a run resuming after the first page reads the second.
    expect(seen(await rowsOf(1))).toEqual(whole);
  });

  it('without trim, are two keys, each read as stored', async () => {
    expect(seen(await rowsOf(2, 'none'))).toEqual([
      ['a', 'K0', []],
      ['b', 'K1', []],
      ['c', 'K1 ', []],
      ['d', 'K2', []],
    ]);
  });
});
