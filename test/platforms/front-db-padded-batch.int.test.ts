/**
 * A city's exchange table whose `BATCH_NO` is a `CHAR` column wider than the 32-character batch
 * number (which the target accepts as it opens): PostgreSQL hands the batch number back padded. A
 * row this call wrote is no duplicate, and its receipt carries the batch number as written.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FrontDbTarget } from '../../adapters/platforms/front-db/front-db-target.js';
import { cityExchangeTable, type FrontDbPlace, frontDbConfig, scratchPlace } from './front-db-fixtures.js';
import { deliveryItem } from './license-fixture.js';

describe('front-db target on PostgreSQL: a CHAR batch number column', () => {
  let place: FrontDbPlace;
  let target: FrontDbTarget;

  beforeAll(async () => {
    place = await scratchPlace('postgres', 'lb_padbatch');
    await cityExchangeTable(
      place.city,
      'UP_LIC_DATA',
      'alter table "UP_LIC_DATA" alter column "BATCH_NO" type char(40)',
    );
    target = new FrontDbTarget('city', frontDbConfig('postgres', place.where, 'UP_LIC_DATA'));
  });
  afterAll(async () => {
    await target?.close();
    await place?.dispose();
  });

  it('answers a written row as new and a replay as a duplicate', async () => {
    const items = [1, 2].map((n) => deliveryItem(n, { target: 'city' }));
    const first = await target.deliver(items);
    expect(first.map((o) => [o.state, o.receipt?.duplicate, String(o.receipt?.batchNo).length])).toEqual([
      ['accepted', false, 32],
      ['accepted', false, 32],
    ]);
    const again = await target.deliver(items);
    expect(again.map((o) => [o.state, o.receipt?.duplicate])).toEqual([
      ['accepted', true],
      ['accepted', true],
    ]);
  });
});
