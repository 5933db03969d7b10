/**
 * A KingbaseES front database is asked which names it answers to
 * (adapters/platforms/front-db/kingbase-names.ts): its documented `sys_*` catalog tables and
 * `sys_advisory_*` lock functions, or PostgreSQL's `pg_*` where those do not resolve. Written with
 * the `sys_*` names alone, a database without them failed every send into a table without a unique
 * index on DELIVERY_KEY, every `config check --connect`, and left its widths unread. No KingbaseES
 * server runs here: a plain PostgreSQL database (no `sys_*` name) stands in for such a one; the
 * `sys_*` side is front-db-kingbase-key-locks and front-db-search-path.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FrontDbTarget } from '../../adapters/platforms/front-db/front-db-target.js';
import {
  cityExchangeTable,
  dropPgPrimaryKey,
  frontDbConfig,
  type ScratchPlace,
  scratchPlace,
} from './front-db-fixtures.js';
import { deliveryItem } from './license-fixture.js';

describe('front-db target on a KingbaseES that answers to pg_* names only', () => {
  let place: ScratchPlace;
  const opened: FrontDbTarget[] = [];
  const target = (table: string) => {
    const t = new FrontDbTarget('city', frontDbConfig('kingbase', place.where, table));
    opened.push(t);
    return t;
  };

  beforeAll(async () => {
    place = await scratchPlace('postgres', 'lb_kpg');
    await cityExchangeTable(place.city, 'UP_LIC_NOPK', dropPgPrimaryKey('UP_LIC_NOPK'));
    await cityExchangeTable(
      place.city,
      'UP_LIC_NARROW',
      'alter table "UP_LIC_NARROW" alter column "BATCH_NO" type varchar(20)',
    );
  });
  afterAll(async () => {
    await Promise.all(opened.map((t) => t.close()));
    await place?.dispose();
  });

  it('takes the key locks by pg_advisory_*, and the rows go in once', async () => {
    const t = target('UP_LIC_NOPK');
    const items = [deliveryItem(1, { target: 'city' }), deliveryItem(2, { target: 'city' })];
    expect((await t.deliver(items)).map((o) => o.state)).toEqual(['accepted', 'accepted']);
    const again = await t.deliver(items);
    expect(again.map((o) => [o.state, o.receipt?.duplicate])).toEqual([
      ['accepted', true],
      ['accepted', true],
    ]);
    const keys: { DELIVERY_KEY: string }[] = await place.city('UP_LIC_NOPK').select('DELIVERY_KEY');
    expect(keys.map((r) => r.DELIVERY_KEY).sort()).toEqual(items.map((i) => i.key).sort());
  });

  it('config check --connect reads the grants from the pg_* catalog', async () => {
    await expect(target('UP_LIC_NOPK').checkConnection()).resolves.toBeUndefined();
  });

  it('reads the widths through pg_class: a narrow BATCH_NO is refused as the target opens', async () => {
    await expect(target('UP_LIC_NARROW').refuseUnfitTable()).rejects.toThrow(/BATCH_NO holds 20 characters/);
  });
});
