/**
 * A front-database login that may read the exchange table but not insert into it (a grant not
 * given yet, or taken back), on PostgreSQL. The target asks as it opens whether the key has the
 * unique index `on conflict` needs, by `EXPLAIN` of that insert (adapters/platforms/front-db/
 * key-unique.ts), and PostgreSQL checks the INSERT privilege of an explained statement too: every
 * opening failed with 42501, so `config check --connect` said "reaching the front database failed
 * (42501)", naming no table, and a submitted row's decision could no longer be read ("reading
 * exchange table … failed (42501)"), where the login may read it. The privilege is checked after the
 * index is found (a missing index is 42P10 first), so 42501 there says the index is there; sends
 * fail as they did before the check, naming the table, and `config check --connect` names the
 * privileges missing.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FrontDbTarget } from '../../adapters/platforms/front-db/front-db-target.js';
import {
  cityExchangeTable,
  exchangeRow,
  frontDbConfig,
  type ScratchPlace,
  scratchPlace,
} from './front-db-fixtures.js';
import { scratchPostgres } from './front-db-servers.js';
import { deliveryItem } from './license-fixture.js';

describe('front-db target on PostgreSQL: a login that may select but not insert', () => {
  const role = `lb_select_only_${randomBytes(4).toString('hex')}`;
  let place: ScratchPlace;
  let target: FrontDbTarget;

  beforeAll(async () => {
    place = await scratchPlace('postgres', 'lb_selonly');
    await cityExchangeTable(place.city, 'UP_LIC_DATA');
    await place
      .city('UP_LIC_DATA')
      .insert({ ...exchangeRow('k-1'), EXCHANGE_TIME: 'x', EXCHANGE_STATUS: '1' });
    await place.city.raw(`create role ${role} login`);
    await place.city.raw(`grant select on "UP_LIC_DATA" to ${role}`);
    target = new FrontDbTarget(
      'city',
      frontDbConfig('postgres', { connection: { ...place.connection, user: role } }, 'UP_LIC_DATA', {
        exchangeStatus: { accepted: ['1'], rejected: ['2'] },
      }),
    );
  });
  afterAll(async () => {
    await target?.close();
    await place?.dispose();
    // A role is the server's, not the scratch database's: dropped once that database (and its grant) is.
    await scratchPostgres.query('test', `drop role if exists ${role}`);
  });

  it('config check --connect gets past the unique key, and names the privileges the login lacks', async () => {
    // Not 42501 from the EXPLAIN: the write grant is asked of PostgreSQL, and named (./front-db-write-grant.int.test.ts).
    await expect(target.checkConnection()).rejects.toMatchObject({
      code: 'LB_CONFIG_INVALID',
      message: expect.stringMatching(
        /^target city: the front database's user may not INSERT or DELETE on exchange table UP_LIC_DATA/,
      ),
    });
  });

  it("a submitted row's decision is read", async () => {
    const [outcome] = (await target.poll?.([{ key: 'k-1', platformId: null, receipt: null }])) ?? [];
    expect(outcome?.state).toBe('accepted');
  });

  it('a send fails, retryable, naming the table and the code', async () => {
    const e = await target.deliver([deliveryItem(1, { target: 'city' })]).catch((err: unknown) => err);
    expect(e).toMatchObject({
      retryable: true,
      message: 'target city: writing exchange table UP_LIC_DATA failed (42501)',
    });
  });
});
