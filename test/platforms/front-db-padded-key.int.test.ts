/**
 * A city's exchange table whose `DELIVERY_KEY` is a `CHAR` column: PostgreSQL hands each key back
 * padded to the column's width. A written row must still be found as its delivery's own — accepted
 * (or `submitted`, and polled) once, a replay a duplicate — not "not found after insert" and
 * retried with its row there all along, nor dead-lettered as gone from the table.
 */
import type { Knex } from 'knex';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FrontDbTargetConfig } from '../../adapters/platforms/front-db/config.js';
import { FrontDbTarget } from '../../adapters/platforms/front-db/front-db-target.js';
import { cityExchangeTable, frontDbConfig, type ScratchPlace, scratchPlace } from './front-db-fixtures.js';
import { deliveryItem } from './license-fixture.js';

describe('front-db target on PostgreSQL: a CHAR delivery key column', () => {
  let place: ScratchPlace;
  let city: Knex;
  const opened: FrontDbTarget[] = [];

  const target = async (table: string, extra: Partial<FrontDbTargetConfig> = {}) => {
    await cityExchangeTable(city, table, `alter table "${table}" alter column "DELIVERY_KEY" type char(200)`);
    const t = new FrontDbTarget('city', frontDbConfig('postgres', place.where, table, extra));
    opened.push(t);
    return t;
  };

  beforeAll(async () => {
    place = await scratchPlace('postgres', 'lb_padkey');
    city = place.city;
  });
  afterAll(async () => {
    await Promise.all(opened.map((t) => t.close()));
    await place?.dispose();
  });

  it('accepts each written row once, and a replay as a duplicate', async () => {
    const t = await target('UP_LIC_PAD');
    const items = [1, 2].map((n) => deliveryItem(n, { target: 'city' }));
    const first = await t.deliver(items);
    expect(first.map((o) => [o.state, o.receipt?.duplicate])).toEqual([
      ['accepted', false],
      ['accepted', false],
    ]);
    const again = await t.deliver(items);
    expect(again.map((o) => [o.state, o.receipt?.duplicate])).toEqual([
      ['accepted', true],
      ['accepted', true],
    ]);
    expect(Number((await city('UP_LIC_PAD').count({ n: '*' }))[0]?.n)).toBe(2);
  });

  it('polls the code of a padded key, neither gone nor undecided for ever', async () => {
    const t = await target('UP_LIC_PAD_ST', { exchangeStatus: { accepted: ['1'], rejected: ['9'] } });
    const [item] = [deliveryItem(3, { target: 'city' })] as const;
    const written = await t.deliver([item]);
    expect(written.map((o) => o.state)).toEqual(['submitted']);
    await city('UP_LIC_PAD_ST').where('DELIVERY_KEY', item.key).update({ EXCHANGE_STATUS: '1' });
    const polled = (await t.poll?.([{ key: item.key, platformId: item.key, receipt: null }])) ?? [];
    expect(polled.map((o) => [o.key, o.state])).toEqual([[item.key, 'accepted']]);
  });
});
