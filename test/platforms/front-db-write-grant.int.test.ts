/**
 * `config check --connect` asks PostgreSQL whether the front database's user may write the exchange
 * table. A login granted SELECT alone passed the check (the columns are read, the unique index planned
 * under EXPLAIN), and every send then failed with 42501, retried until its attempts ran out. The
 * check names the target, the table and each privilege missing: INSERT, and DELETE with
 * `exchangeStatus` (a refused row is taken out before its key is written again). INSERT granted on
 * each column licbridge writes, not on the table, is enough.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FrontDbTargetConfig } from '../../adapters/platforms/front-db/config.js';
import { COLUMNS } from '../../adapters/platforms/front-db/exchange-table.js';
import { FrontDbTarget } from '../../adapters/platforms/front-db/front-db-target.js';
import { cityExchangeTable, frontDbConfig, type ScratchPlace, scratchPlace } from './front-db-fixtures.js';
import { scratchPostgres } from './front-db-servers.js';

describe('config check --connect on PostgreSQL: the privileges to write the exchange table', () => {
  const suffix = randomBytes(4).toString('hex');
  const roles = {
    selectOnly: `lb_grant_select_${suffix}`,
    noDelete: `lb_grant_nodelete_${suffix}`,
    byColumn: `lb_grant_columns_${suffix}`,
  };
  const table = 'qzk.UP_LIC_DATA';
  let place: ScratchPlace;

  beforeAll(async () => {
    place = await scratchPlace('postgres', 'lb_grant');
    await place.city.raw('create schema qzk');
    await cityExchangeTable(place.city, table);
    for (const role of Object.values(roles)) {
      await place.city.raw(`create role ${role} login`);
      await place.city.raw(`grant usage on schema qzk to ${role}`);
      await place.city.raw(`grant select on qzk."UP_LIC_DATA" to ${role}`);
    }
    await place.city.raw(`grant insert on qzk."UP_LIC_DATA" to ${roles.noDelete}`);
    const columns = Object.values(COLUMNS)
      .map((c) => `"${c}"`)
      .join(', ');
    await place.city.raw(`grant insert (${columns}) on qzk."UP_LIC_DATA" to ${roles.byColumn}`);
  });
  afterAll(async () => {
    await place?.dispose();
    // Roles are the server's: dropped once the scratch database, and its grants, are gone.
    for (const role of Object.values(roles))
      await scratchPostgres.query('test', `drop role if exists ${role}`);
  });

  const checked = async (user: string, extra: Partial<FrontDbTargetConfig> = {}): Promise<unknown> => {
    const config = frontDbConfig('postgres', { connection: { ...place.connection, user } }, table, extra);
    const target = new FrontDbTarget('city', config);
    try {
      return await target.checkConnection().catch((e: unknown) => e);
    } finally {
      await target.close();
    }
  };
  const exchangeStatus = { accepted: ['1'], rejected: ['2'] };

  it('a user that may only select is refused, naming the target, the table and INSERT', async () => {
    expect(await checked(roles.selectOnly)).toMatchObject({
      code: 'LB_CONFIG_INVALID',
      message:
        "target city: the front database's user may not INSERT on exchange table qzk.UP_LIC_DATA: grant INSERT on the table to the user in `targets.city.connection`, or name another user; every send would fail",
    });
  });

  it('with exchangeStatus, a user that may insert but not delete is refused, naming DELETE', async () => {
    expect(await checked(roles.noDelete)).toBeUndefined();
    expect(await checked(roles.noDelete, { exchangeStatus })).toMatchObject({
      code: 'LB_CONFIG_INVALID',
      message: expect.stringMatching(
        /^target city: the front database's user may not DELETE on exchange table qzk\.UP_LIC_DATA \(DELETE: a row the exchange system refused/,
      ),
    });
  });

  it('INSERT granted on each column written passes; the table owner passes', async () => {
    expect(await checked(roles.byColumn)).toBeUndefined();
    expect(await checked(String(place.connection.user), { exchangeStatus })).toBeUndefined();
  });
});
