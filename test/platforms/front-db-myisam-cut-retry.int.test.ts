/**
 * A table of an engine without transactions (MyISAM) keeps a row stored cut from the moment it is
 * inserted: the send that reads it back and deletes it may fail first (a login without DELETE, the
 * process gone between the two). Sent again, the key is held, nothing is inserted, and the earlier
 * row was taken for the delivery's own, unchecked: accepted, with a cut value in the exchange
 * table. It is checked as a row of this send is, and the delivery rejected naming the column; it
 * is left in the table (the exchange system may have read it), which the reason says.
 */
import { randomBytes } from 'node:crypto';
import knexModule, { type Knex } from 'knex';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exchangeRows } from '../../adapters/platforms/front-db/exchange-rows.js';
import { COLUMNS, newBatchNo } from '../../adapters/platforms/front-db/exchange-table.js';
import { FrontDbTarget } from '../../adapters/platforms/front-db/front-db-target.js';
import { writeBatch } from '../../adapters/platforms/front-db/write-batch.js';
import { codeListsFor } from '../../adapters/platforms/shared/code-lists.js';
import type { DeliveryItem, DeliveryOutcome } from '../../adapters/platforms/target.js';
import { cityExchangeTable, frontDbConfig, type ScratchPlace, scratchPlace } from './front-db-fixtures.js';
import { scratchMariaDb } from './front-db-servers.js';
import { deliveryItem, HOLDER_ID, HOLDER_NAME } from './license-fixture.js';

const EARLIER = 'from an earlier send';

describe('front-db on MariaDB MyISAM: a row stored cut by a send that failed before taking it out', () => {
  const suffix = randomBytes(4).toString('hex');
  const users = { noDelete: `lb_mr_nodel_${suffix}`, withDelete: `lb_mr_del_${suffix}` };
  const strictTable = 'UP_LIC_MYISAM';
  const laxTable = 'UP_LIC_MYISAM_LAX';
  /** PAYLOAD in latin1: a holder's name in Chinese is stored as `?`s without strict mode. */
  const latin1Table = 'UP_LIC_MYISAM_LATIN1';
  let place: ScratchPlace;
  let db: string;
  const sessions: Knex[] = [];

  beforeAll(async () => {
    place = await scratchPlace('mysql', 'lb_mretry');
    db = String(place.connection.database);
    // LICENSE_ID wide enough for `lic-000001`, not for the longer id one license is given.
    const narrow = (t: string) => `alter table ${t} modify ${COLUMNS.licenseId} varchar(12) not null`;
    for (const t of [strictTable, laxTable])
      await cityExchangeTable(place.city, t, `alter table ${t} engine = MyISAM`, narrow(t));
    await cityExchangeTable(
      place.city,
      latin1Table,
      `alter table ${latin1Table} engine = MyISAM`,
      `alter table ${latin1Table} modify ${COLUMNS.payload} longtext character set latin1 not null`,
    );
    const run = (sql: string) => scratchMariaDb.query(db, sql);
    for (const user of Object.values(users)) await run(`create user '${user}'@'%'`);
    for (const t of [strictTable, laxTable, latin1Table]) {
      await run(`grant select, insert, update on \`${db}\`.${t} to '${users.noDelete}'@'%'`);
      await run(`grant select, insert, update, delete on \`${db}\`.${t} to '${users.withDelete}'@'%'`);
    }
  });
  afterAll(async () => {
    for (const k of sessions) await k.destroy();
    await place?.dispose();
    for (const user of Object.values(users))
      await scratchMariaDb.query('test', `drop user if exists '${user}'@'%'`);
  });

  /** The second item's LICENSE_ID is longer than the column. */
  const items = (n: number): DeliveryItem[] => [
    deliveryItem(n, { target: 'city' }),
    { ...deliveryItem(n + 1, { target: 'city' }), licenseId: `lic-${n + 1}-longer-than-the-column` },
  ];
  const stored = (table: string) =>
    place.city(table).select(COLUMNS.key, COLUMNS.licenseId).orderBy(COLUMNS.key) as Promise<
      { DELIVERY_KEY: string; LICENSE_ID: string }[]
    >;
  const expectRejectedInPlace = (
    outcome: DeliveryOutcome | undefined,
    table: string,
    column: string = COLUMNS.licenseId,
  ) => {
    expect(outcome?.state).toBe('rejected');
    const reason = outcome?.reasons?.join(' ') ?? '';
    expect(reason).toContain(`exchange table ${table}`);
    expect(reason).toContain(`with ${column} as a cut`);
    expect(reason).toContain(EARLIER);
    expect(reason).toContain('left in the table');
    expect(reason).not.toContain('taken out again');
    for (const personal of [HOLDER_NAME, HOLDER_ID, 'longer-than']) expect(reason).not.toContain(personal);
  };

  it('under STRICT_TRANS_TABLES (the rows after the first of an insert cut): the retry is rejected, the row left', async () => {
    const targetAs = (user: string) =>
      new FrontDbTarget(
        'city',
        frontDbConfig('mysql', { connection: { ...place.connection, user } }, strictTable),
      );
    const first = targetAs(users.noDelete);
    try {
      // The DELETE of the cut row refused: the send fails, both rows stay (no transaction).
      expect(await first.deliver(items(1)).catch((e: unknown) => e)).toMatchObject({
        message: `target city: writing exchange table ${strictTable} failed (ER_TABLEACCESS_DENIED_ERROR)`,
      });
    } finally {
      await first.close();
    }
    expect((await stored(strictTable)).map((r) => r.LICENSE_ID)).toEqual(['lic-000001', 'lic-2-longer']);
    // Sent again by a login that may delete: the earlier row is checked, and not taken out.
    const again = targetAs(users.withDelete);
    try {
      const outcomes = await again.deliver(items(1));
      expect(outcomes[0]).toMatchObject({ state: 'accepted', receipt: { duplicate: true } });
      expectRejectedInPlace(outcomes[1], strictTable);
    } finally {
      await again.close();
    }
    expect((await stored(strictTable)).map((r) => r.LICENSE_ID)).toEqual(['lic-000001', 'lic-2-longer']);
  });

  const lax = (user: string): Knex => {
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
  /** A send by `k`, as FrontDbTarget writes it, to `table` (`laxTable` unless named), with `codes`. */
  const send = (k: Knex, sent: DeliveryItem[], table = laxTable, codes?: { list: string }) => {
    const batch = newBatchNo();
    const { rows } = exchangeRows(sent, codeListsFor(codes), '11370211MB1234567X', batch, {
      target: 'city',
      action: 'write',
      table,
    });
    for (const row of rows) row[COLUMNS.time] = new Date().toISOString();
    return writeBatch(k, rows, {
      target: 'city',
      table,
      write: {
        style: 'merge',
        chunk: 50,
        deadline: { remainingMs: () => 10_000, cancel: true },
        batch,
      },
      statusIsNumber: false,
    });
  };
  it('without strict mode: a send whose DELETE fails leaves the cut row, and the retry is rejected', async () => {
    // One row, cut even as the first of its insert; its DELETE refused.
    const cut = items(21).slice(1);
    expect(await send(lax(users.noDelete), cut).catch((e: unknown) => e)).toMatchObject({
      code: 'ER_TABLEACCESS_DENIED_ERROR',
    });
    expect((await stored(laxTable)).map((r) => r.LICENSE_ID)).toEqual(['lic-22-longe']);
    for (const user of [users.noDelete, users.withDelete]) {
      const outcomes = await send(lax(user), cut);
      expectRejectedInPlace(outcomes.get(cut[0]?.key ?? ''), laxTable);
    }
    expect((await stored(laxTable)).map((r) => r.LICENSE_ID)).toEqual(['lic-22-longe']);
  });

  it('without strict mode: a row stored with `?` for characters latin1 lacks is rejected on the retry, the codes changed or not', async () => {
    // A revocation: CZLX 07 in the national collection's codes, 05 in the push list's.
    const revoke = [deliveryItem(31, { target: 'city', operation: 'revoke' })];
    const key = revoke[0]?.key ?? '';
    expect(await send(lax(users.noDelete), revoke, latin1Table).catch((e: unknown) => e)).toMatchObject({
      code: 'ER_TABLEACCESS_DENIED_ERROR',
    });
    const left = await place.city(latin1Table).select(COLUMNS.payload, COLUMNS.opCode);
    expect(left).toHaveLength(1);
    expect(String(left[0]?.[COLUMNS.payload])).not.toContain(HOLDER_NAME);
    expect(String(left[0]?.[COLUMNS.payload])).toContain('"czzt":"????"');
    for (const codes of [undefined, { list: 'national-push' }]) {
      const outcomes = await send(lax(users.withDelete), revoke, latin1Table, codes);
      expectRejectedInPlace(outcomes.get(key), latin1Table, COLUMNS.payload);
    }
    expect(await place.city(latin1Table).select(COLUMNS.payload, COLUMNS.opCode)).toEqual(left);
  });
});
