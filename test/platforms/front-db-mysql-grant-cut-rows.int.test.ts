/**
 * `config check --connect` on MySQL/MariaDB asks DELETE where the server stores a value cut to its
 * column with only a warning: a send reads its rows back and takes such a row out again
 * (adapters/platforms/front-db/verify-stored.ts), which a login without DELETE may not do. That is
 * so without strict mode (`sql_mode` without STRICT_TRANS_TABLES or STRICT_ALL_TABLES) and, under
 * STRICT_TRANS_TABLES alone, on a table of an engine without transactions (MyISAM), where the rows
 * after the first of a multi-row insert are cut. Such a login passed the check; its send of a row
 * stored cut then failed on the DELETE (1142), every time, its whole batch with it.
 */
import { randomBytes } from 'node:crypto';
import type { Knex } from 'knex';
import knexModule from 'knex';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COLUMNS } from '../../adapters/platforms/front-db/exchange-table.js';
import { FrontDbTarget } from '../../adapters/platforms/front-db/front-db-target.js';
import { checkWriteGrant } from '../../adapters/platforms/front-db/write-grant.js';
import { cityExchangeTable, frontDbConfig, type ScratchPlace, scratchPlace } from './front-db-fixtures.js';
import { scratchMariaDb } from './front-db-servers.js';
import { deliveryItem } from './license-fixture.js';

describe('config check --connect on MariaDB: DELETE where a row may be stored cut', () => {
  const suffix = randomBytes(4).toString('hex');
  const users = {
    noDelete: `lb_mc_nodel_${suffix}`,
    withDelete: `lb_mc_del_${suffix}`,
    noUpdate: `lb_mc_noupd_${suffix}`,
  };
  const myisam = 'UP_LIC_MYISAM';
  const innodb = 'UP_LIC_INNODB';
  const all = (names: string[]) => names.map((u) => `'${u}'@'%'`).join(', ');
  const cutNote =
    'DELETE: without strict mode the server stores a value cut to its column, or `?` for a character its character set lacks, with only a warning, and a send takes such a row out again';
  let place: ScratchPlace;
  let db: string;

  beforeAll(async () => {
    place = await scratchPlace('mysql', 'lb_mcut');
    db = String(place.connection.database);
    // LICENSE_ID wide enough for `lic-000001`, not for the longer id the second license is given.
    const narrow = (t: string) => `alter table ${t} modify ${COLUMNS.licenseId} varchar(12) not null`;
    await cityExchangeTable(place.city, myisam, `alter table ${myisam} engine = MyISAM`, narrow(myisam));
    await cityExchangeTable(place.city, innodb, narrow(innodb));
    const run = (sql: string) => scratchMariaDb.query(db, sql);
    for (const user of Object.values(users)) await run(`create user '${user}'@'%'`);
    for (const t of [myisam, innodb]) {
      await run(
        `grant select, insert, update on \`${db}\`.${t} to ${all([users.noDelete, users.withDelete])}`,
      );
      await run(`grant select, insert, delete on \`${db}\`.${t} to ${all([users.noUpdate])}`);
      await run(`grant delete on \`${db}\`.${t} to ${all([users.withDelete])}`);
    }
  });
  afterAll(async () => {
    await place?.dispose();
    for (const user of Object.values(users))
      await scratchMariaDb.query('test', `drop user if exists '${user}'@'%'`);
  });

  const targetAs = (user: string, table: string): FrontDbTarget =>
    new FrontDbTarget('city', frontDbConfig('mysql', { connection: { ...place.connection, user } }, table));
  const checked = async (user: string, table: string): Promise<unknown> => {
    const target = targetAs(user, table);
    try {
      return await target.checkConnection().catch((e: unknown) => e);
    } finally {
      await target.close();
    }
  };
  /** Two licenses in one batch: the second's LICENSE_ID is longer than the column. */
  const batch = (n: number) => [
    deliveryItem(n, { target: 'city' }),
    { ...deliveryItem(n + 1, { target: 'city' }), licenseId: `lic-${n + 1}-longer-than-the-column` },
  ];
  const sendAs = async (user: string, table: string, n: number): Promise<unknown> => {
    const target = targetAs(user, table);
    try {
      return await target.deliver(batch(n)).catch((e: unknown) => e);
    } finally {
      await target.close();
    }
  };

  it('MyISAM under STRICT_TRANS_TABLES: a login without DELETE fails its sends, and the check names DELETE', async () => {
    expect(await sendAs(users.noDelete, myisam, 1)).toMatchObject({
      message: `target city: writing exchange table ${myisam} failed (ER_TABLEACCESS_DENIED_ERROR)`,
    });
    expect(await checked(users.noDelete, myisam)).toMatchObject({
      code: 'LB_CONFIG_INVALID',
      // Not every send: only one that writes a row stored cut, which then fails with its batch.
      message: `target city: the front database's user may not DELETE on exchange table ${myisam} (${cutNote}): grant DELETE on the table to the user in \`targets.city.connection\`, or name another user; a send with a row stored cut would fail, its whole batch with it, each time it is tried`,
    });
    expect(await checked(users.withDelete, myisam)).toBeUndefined();
    const sent = (await sendAs(users.withDelete, myisam, 11)) as { state: string }[];
    expect(sent.map((o) => o.state)).toEqual(['accepted', 'rejected']);
  });

  it('a table named with its database, from a session in none, is looked up there', async () => {
    const { database: _, ...elsewhere } = place.connection;
    const target = new FrontDbTarget(
      'city',
      frontDbConfig('mysql', { connection: { ...elsewhere, user: users.noDelete } }, `${db}.${myisam}`),
    );
    try {
      expect(await target.checkConnection().catch((e: unknown) => e)).toMatchObject({
        code: 'LB_CONFIG_INVALID',
        message: expect.stringContaining(`may not DELETE on exchange table ${db}.${myisam} (${cutNote})`),
      });
    } finally {
      await target.close();
    }
  });

  it('InnoDB under STRICT_TRANS_TABLES: nothing is stored cut, and DELETE is not asked', async () => {
    expect(await checked(users.noDelete, innodb)).toBeUndefined();
  });

  describe('a session without strict mode', () => {
    const sessions: Knex[] = [];
    afterAll(async () => {
      for (const k of sessions) await k.destroy();
    });
    const nonStrict = (user: string): Knex => {
      const k = knexModule({
        client: 'mysql2',
        connection: { ...place.connection, user },
        pool: {
          min: 1,
          max: 1,
          afterCreate: (
            conn: { query(sql: string, cb: (e: unknown) => void): void },
            done: (e: unknown) => void,
          ) => conn.query("set session sql_mode = ''", done),
        },
      });
      sessions.push(k);
      return k;
    };
    const check = (user: string) =>
      checkWriteGrant(nonStrict(user), {
        target: 'city',
        table: innodb,
        deletesRefused: false,
        style: 'merge',
        deadline: { remainingMs: () => 10_000, cancel: true },
      }).catch((e: unknown) => e);

    it('asks DELETE on InnoDB too', async () => {
      expect(await check(users.noDelete)).toMatchObject({
        code: 'LB_CONFIG_INVALID',
        message: expect.stringContaining(`may not DELETE on exchange table ${innodb} (${cutNote})`),
      });
      expect(await check(users.withDelete)).toBeUndefined();
    });

    it('a user that may delete but not update is told every send would fail', async () => {
      expect(await check(users.noUpdate)).toMatchObject({
        code: 'LB_CONFIG_INVALID',
        message: expect.stringMatching(
          /may not UPDATE on exchange table UP_LIC_INNODB .*; every send would fail$/,
        ),
      });
    });
  });
});
