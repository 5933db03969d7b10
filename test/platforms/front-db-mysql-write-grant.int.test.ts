/**
 * `config check --connect` asks MySQL/MariaDB whether the front database's user may write the
 * exchange table, as it asks PostgreSQL (./front-db-write-grant.int.test.ts). A login granted SELECT
 * alone passed every check, and every send then failed with 1142, retried until its attempts ran
 * out. So did a login granted SELECT and INSERT: MySQL's `insert … on duplicate key update`, which
 * every send uses, needs UPDATE too. The server is asked to prepare the statements a send runs, so
 * that its own rules decide (grants to the user's host pattern, wildcard database names, the roles
 * enabled at login, MariaDB's sequences); a role granted but not enabled at login gives a send
 * nothing, and neither does it pass the check.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FrontDbTargetConfig } from '../../adapters/platforms/front-db/config.js';
import { COLUMNS } from '../../adapters/platforms/front-db/exchange-table.js';
import { FrontDbTarget } from '../../adapters/platforms/front-db/front-db-target.js';
import { cityExchangeTable, frontDbConfig, type ScratchPlace, scratchPlace } from './front-db-fixtures.js';
import { scratchMariaDb } from './front-db-servers.js';
import { deliveryItem } from './license-fixture.js';

describe('config check --connect on MariaDB: the privileges to write the exchange table', () => {
  const suffix = randomBytes(4).toString('hex');
  const users = {
    selectOnly: `lb_mg_select_${suffix}`,
    noUpdate: `lb_mg_noupdate_${suffix}`,
    write: `lb_mg_write_${suffix}`,
    byColumn: `lb_mg_columns_${suffix}`,
    wildcard: `lb_mg_wild_${suffix}`,
    roleNotDefault: `lb_mg_rolenodef_${suffix}`,
    roleDefault: `lb_mg_roledef_${suffix}`,
    noSequence: `lb_mg_noseq_${suffix}`,
  };
  const role = `lb_mg_role_${suffix}`;
  const table = 'UP_LIC_DATA';
  const written = Object.values(COLUMNS);
  const all = (users: string[]) => users.map((u) => `'${u}'@'%'`).join(', ');
  let place: ScratchPlace;
  let db: string;

  beforeAll(async () => {
    place = await scratchPlace('mysql', 'lb_mgrant');
    db = String(place.connection.database);
    await cityExchangeTable(place.city, table);
    // A city's own row number from a MariaDB sequence, the default of a column licbridge does not write.
    await place.city.raw('create sequence UP_LIC_SEQ');
    await cityExchangeTable(
      place.city,
      'UP_LIC_ROWNO',
      'alter table UP_LIC_ROWNO add column ROW_ID bigint not null default nextval(UP_LIC_SEQ)',
    );
    const run = (sql: string) => scratchMariaDb.query(db, sql);
    for (const user of Object.values(users)) await run(`create user '${user}'@'%'`);
    await run(`create role ${role}`);
    await run(`grant select, insert, update, delete on \`${db}\`.${table} to ${role}`);
    const on = `\`${db}\`.${table}`;
    await run(`grant select on ${on} to ${all(Object.values(users))}`);
    await run(`grant insert on ${on} to ${all([users.noUpdate])}`);
    await run(`grant insert, update on ${on} to ${all([users.write])}`);
    // Every column but SIGNATURE may be inserted, and only the key updated.
    const insertable = written.filter((c) => c !== COLUMNS.signature).join(', ');
    await run(`grant insert (${insertable}), update (${COLUMNS.key}) on ${on} to ${all([users.byColumn])}`);
    // `_` and `%` are wildcards in a database name of a grant: `lb\_mgrant\_%` is every scratch database of this file.
    await run(`grant insert, update, delete on \`lb\\_mgrant\\_%\`.* to ${all([users.wildcard])}`);
    await run(`grant ${role} to ${all([users.roleNotDefault, users.roleDefault])}`);
    await run(`set default role ${role} for '${users.roleDefault}'@'%'`);
    await run(
      `grant select, insert, update on \`${db}\`.UP_LIC_ROWNO to ${all([users.noSequence, users.write])}`,
    );
    await run(`grant select, insert on \`${db}\`.UP_LIC_SEQ to ${all([users.write])}`);
  });
  afterAll(async () => {
    await place?.dispose();
    // Users and roles are the server's, not the scratch database's.
    for (const user of Object.values(users))
      await scratchMariaDb.query('test', `drop user if exists '${user}'@'%'`);
    await scratchMariaDb.query('test', `drop role if exists ${role}`);
  });

  const targetAs = (user: string, extra: Partial<FrontDbTargetConfig> = {}, on = table): FrontDbTarget =>
    new FrontDbTarget(
      'city',
      frontDbConfig('mysql', { connection: { ...place.connection, user } }, on, extra),
    );
  const checked = async (
    user: string,
    extra: Partial<FrontDbTargetConfig> = {},
    on = table,
  ): Promise<unknown> => {
    const target = targetAs(user, extra, on);
    try {
      return await target.checkConnection().catch((e: unknown) => e);
    } finally {
      await target.close();
    }
  };
  // Each send its own license: a key already in the table is answered without an insert.
  let sent = 0;
  const sendAs = async (user: string, on = table): Promise<unknown> => {
    const target = targetAs(user, {}, on);
    sent += 1;
    try {
      return await target.deliver([deliveryItem(sent, { target: 'city' })]).catch((e: unknown) => e);
    } finally {
      await target.close();
    }
  };
  const exchangeStatus = { accepted: ['1'], rejected: ['2'] };
  const upsertNote =
    ' (UPDATE: every send is an `insert … on duplicate key update`, which leaves a key already there as it is; MariaDB asks UPDATE of it on every column it writes, MySQL on the key)';

  it('a user that may only select is refused, naming the target, the table, INSERT and UPDATE', async () => {
    expect(await checked(users.selectOnly)).toMatchObject({
      code: 'LB_CONFIG_INVALID',
      message: `target city: the front database's user may not INSERT or UPDATE on exchange table UP_LIC_DATA${upsertNote}: grant INSERT, UPDATE on the table to the user in \`targets.city.connection\`, or name another user; every send would fail`,
    });
  });

  it('a user that may insert but not update is refused, as every send of it fails', async () => {
    expect(await sendAs(users.noUpdate)).toMatchObject({
      message: 'target city: writing exchange table UP_LIC_DATA failed (ER_TABLEACCESS_DENIED_ERROR)',
    });
    expect(await checked(users.noUpdate)).toMatchObject({
      code: 'LB_CONFIG_INVALID',
      message: `target city: the front database's user may not UPDATE on exchange table UP_LIC_DATA${upsertNote}: grant UPDATE on the table to the user in \`targets.city.connection\`, or name another user; every send would fail`,
    });
  });

  it('a user that may insert and update passes; with exchangeStatus it is refused, naming DELETE', async () => {
    expect(await checked(users.write)).toBeUndefined();
    expect(await sendAs(users.write)).toMatchObject([{ state: 'accepted' }]);
    expect(await checked(users.write, { exchangeStatus })).toMatchObject({
      code: 'LB_CONFIG_INVALID',
      message: expect.stringMatching(
        /^target city: the front database's user may not DELETE on exchange table UP_LIC_DATA \(DELETE: a row the exchange system refused .*: grant DELETE on the table/,
      ),
    });
    expect(await checked(String(place.connection.user), { exchangeStatus })).toBeUndefined();
  });

  it('privileges granted on some columns only: the columns missing are named', async () => {
    const e = await checked(users.byColumn);
    expect(e).toMatchObject({ code: 'LB_CONFIG_INVALID' });
    const message = (e as Error).message;
    expect(message).toMatch(
      /^target city: the front database's user may not INSERT into column SIGNATURE or UPDATE columns BATCH_NO, .*SIGNATURE, EXCHANGE_STATUS on exchange table UP_LIC_DATA/,
    );
    expect(message).not.toMatch(/UPDATE columns DELIVERY_KEY/);
    expect(message).toMatch(/: grant INSERT \(SIGNATURE\), UPDATE \(BATCH_NO, .*\) on the table to the user/);
  });

  it('grants on a wildcard database name count', async () => {
    expect(await checked(users.wildcard, { exchangeStatus })).toBeUndefined();
  });

  it('a role counts when it is the default role, enabled at login; granted but not enabled it does not', async () => {
    expect(await checked(users.roleDefault, { exchangeStatus })).toBeUndefined();
    expect(await sendAs(users.roleNotDefault)).toMatchObject({
      message: 'target city: writing exchange table UP_LIC_DATA failed (ER_TABLEACCESS_DENIED_ERROR)',
    });
    expect(await checked(users.roleNotDefault)).toMatchObject({
      code: 'LB_CONFIG_INVALID',
      message: expect.stringMatching(
        /^target city: the front database's user may not INSERT or UPDATE on exchange table/,
      ),
    });
  });

  it("a user that may not take values of a column's sequence is refused, naming it", async () => {
    expect(await sendAs(users.noSequence, 'UP_LIC_ROWNO')).toMatchObject({
      message: 'target city: writing exchange table UP_LIC_ROWNO failed (ER_TABLEACCESS_DENIED_ERROR)',
    });
    expect(await checked(users.noSequence, {}, 'UP_LIC_ROWNO')).toMatchObject({
      code: 'LB_CONFIG_INVALID',
      message: `target city: the front database's user may not take values of sequence ${db}.UP_LIC_SEQ (the default of column ROW_ID) on exchange table UP_LIC_ROWNO: grant SELECT, INSERT on the sequence to the user in \`targets.city.connection\`, or name another user; every send would fail`,
    });
    expect(await checked(users.write, {}, 'UP_LIC_ROWNO')).toBeUndefined();
    expect(await sendAs(users.write, 'UP_LIC_ROWNO')).toMatchObject([{ state: 'accepted' }]);
  });
});
