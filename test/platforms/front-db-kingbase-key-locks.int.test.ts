/**
 * A KingbaseES exchange table whose `DELIVERY_KEY` has no unique index: two sends of one key are
 * kept apart by transaction-scoped advisory locks (adapters/platforms/front-db/key-locks.ts), which
 * KingbaseES names `sys_advisory_xact_lock` and `sys_advisory_xact_lock_shared`. Called by
 * PostgreSQL's names it has no such function, and every send into such a table failed. No
 * KingbaseES server runs here: a PostgreSQL database stands in, its `pg_advisory_*` functions not
 * executable by the target's login and KingbaseES's names given as functions that take the same
 * locks.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FrontDbTarget } from '../../adapters/platforms/front-db/front-db-target.js';
import {
  cityExchangeTable,
  dropPgPrimaryKey,
  frontDbConfig,
  type ScratchPlace,
  scratchPlace,
} from './front-db-fixtures.js';
import { scratchPostgres } from './front-db-servers.js';
import { deliveryItem } from './license-fixture.js';

describe('front-db target on KingbaseES: DELIVERY_KEY without a unique index', () => {
  const role = `lb_ksys_${randomBytes(4).toString('hex')}`;
  let place: ScratchPlace;
  let target: FrontDbTarget;

  beforeAll(async () => {
    place = await scratchPlace('postgres', 'lb_ksys');
    await cityExchangeTable(place.city, 'UP_LIC_NOPK', dropPgPrimaryKey('UP_LIC_NOPK'));
    await place.city.raw(`create role "${role}" login`);
    await place.city.raw(`grant select, insert, delete on "UP_LIC_NOPK" to "${role}"`);
    for (const fn of ['advisory_xact_lock', 'advisory_xact_lock_shared']) {
      await place.city.raw(
        `create function public.sys_${fn}(bigint) returns void language sql security definer as 'select pg_catalog.pg_${fn}($1)'`,
      );
      await place.city.raw(`revoke execute on function pg_catalog.pg_${fn}(bigint) from public`);
    }
    target = new FrontDbTarget(
      'city',
      frontDbConfig('kingbase', { connection: { ...place.connection, user: role } }, 'UP_LIC_NOPK'),
    );
  });
  afterAll(async () => {
    await target?.close();
    await place?.dispose();
    // Roles are the server's: dropped once the scratch database, and its grants, are gone.
    await scratchPostgres.query('test', `drop role if exists "${role}"`);
  });

  it('takes the key locks by their KingbaseES names, and the rows go in once', async () => {
    const items = [deliveryItem(1, { target: 'city' }), deliveryItem(2, { target: 'city' })];
    expect((await target.deliver(items)).map((o) => o.state)).toEqual(['accepted', 'accepted']);
    const again = await target.deliver(items);
    expect(again.map((o) => [o.state, o.receipt?.duplicate])).toEqual([
      ['accepted', true],
      ['accepted', true],
    ]);
    const keys: { DELIVERY_KEY: string }[] = await place.city('UP_LIC_NOPK').select('DELIVERY_KEY');
    expect(keys.map((r) => r.DELIVERY_KEY).sort()).toEqual(items.map((i) => i.key).sort());
  });
});
