/**
 * A `dataSource` holding characters the city's `DATA_SOURCE` column cannot hold (a unit's name in
 * Chinese, a latin1 column) on MySQL or MariaDB without strict mode: each row was stored with `?`
 * for them, with only a warning, and answered accepted, the exchange system filing the license
 * under a unit of question marks. The read-back compared the license's own columns, not
 * `DATA_SOURCE`. It is compared now: such a row is taken out again and its delivery rejected,
 * naming the column.
 */
import type { Knex } from 'knex';
import { describe, expect, it } from 'vitest';
import { FrontDbTarget } from '../../adapters/platforms/front-db/front-db-target.js';
import { cityExchangeTable, frontDbConfig, scratchPlaceForTests } from './front-db-fixtures.js';
import { deliveryItem } from './license-fixture.js';

const TABLE = 'UP_LIC_DS_LATIN1';
/** A unit's name, synthetic: its characters are none of latin1's. */
const UNIT = '青岛市测试单位';

describe('front-db target on MariaDB without strict mode: DATA_SOURCE stored other than written', () => {
  const scratch = scratchPlaceForTests('mysql', 'lb_ds_stored', async (place) => {
    await cityExchangeTable(
      place.city,
      TABLE,
      `alter table ${TABLE} modify DATA_SOURCE varchar(64) character set latin1 not null`,
    );
  });

  it('rejects the delivery naming the column, and leaves no row for the exchange system', async () => {
    const target = scratch.closedAfter(
      new FrontDbTarget('city', frontDbConfig('mysql', scratch.place.where, TABLE, { dataSource: UNIT })),
    );
    // The target's one pooled connection (concurrency 1) made non-strict, as a city's server may be.
    const { k } = await (
      target as unknown as { connections: { take(): Promise<{ k: Knex }> } }
    ).connections.take();
    await k.raw("set session sql_mode = ''");
    const item = deliveryItem(1, { target: 'city' });

    const [out] = await target.deliver([item]);

    expect(out?.state).toBe('rejected');
    expect(String(out?.reasons)).toBe(
      `exchange table ${TABLE} stored DATA_SOURCE other than written (cut to its column, or characters its character set lacks replaced); the row was taken out again`,
    );
    expect(await scratch.place.city(TABLE).where({ DELIVERY_KEY: item.key })).toEqual([]);
  });
});
