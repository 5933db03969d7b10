/**
 * A MySQL/MariaDB `TIMESTAMP` `EXCHANGE_TIME` holds an instant: a wall clock written there is read
 * in the session's `time_zone` (the server's, UTC here) and converted. Written as the wall clock of
 * the target's `timeZone`, it was the right instant only when that zone and the session's agreed:
 * a Beijing clock on a server in UTC stored an instant 8 hours ahead. The instant stored is read
 * with `UNIX_TIMESTAMP`, which no session zone changes. The server here runs in UTC; a server in
 * another zone is played by a connection whose session starts at +05:00, and stays there.
 */
import knexModule, { type Knex } from 'knex';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exchangeTimeValue } from '../../adapters/platforms/front-db/exchange-rows.js';
import { FrontDbTarget } from '../../adapters/platforms/front-db/front-db-target.js';
import {
  cityExchangeTable,
  exchangeRow,
  frontDbConfig,
  type ScratchPlace,
  scratchPlace,
} from './front-db-fixtures.js';
import { deliveryItem } from './license-fixture.js';

/** Minutes `timeZone` is ahead of UTC at `at`. */
const offsetMinutes = (timeZone: string, at: Date): number => {
  const name = new Intl.DateTimeFormat('en', { timeZone, timeZoneName: 'longOffset' })
    .formatToParts(at)
    .find((p) => p.type === 'timeZoneName')?.value;
  const m = /GMT([+-])(\d\d):(\d\d)/.exec(name ?? '');
  return m ? (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3])) : 0;
};

describe("front-db on MariaDB: a TIMESTAMP EXCHANGE_TIME holds the write's instant", () => {
  let place: ScratchPlace;
  let city: Knex;
  const opened: FrontDbTarget[] = [];
  let n = 0;

  beforeAll(async () => {
    place = await scratchPlace('mysql', 'lb_tstz');
    city = place.city;
  });
  afterAll(async () => {
    await Promise.all(opened.map((t) => t.close()));
    await place?.dispose();
  });

  for (const timeZone of ['Asia/Shanghai', 'America/Sao_Paulo']) {
    it(`stores the instant with timeZone ${timeZone}, the server's session zone another`, async () => {
      // The server's zone, as a connection that sets none has it, differs from the target's.
      const [[{ session }]] = (await city.raw(
        'select timestampdiff(minute, utc_timestamp(), now()) as session',
      )) as [[{ session: number }]];
      expect(Number(session)).not.toBe(offsetMinutes(timeZone, new Date()));
      n += 1;
      const table = `UP_LIC_TS_${n}`;
      await cityExchangeTable(
        city,
        table,
        `alter table ${table} modify EXCHANGE_TIME timestamp(3) not null default current_timestamp(3)`,
      );
      const t = new FrontDbTarget('city', frontDbConfig('mysql', place.where, table, { timeZone }));
      opened.push(t);
      const from = Date.now();
      const out = await t.deliver([deliveryItem(n, { target: 'city' })]);
      const to = Date.now();
      expect(out.map((o) => o.state)).toEqual(['accepted']);
      const [[{ ms }]] = (await city.raw(
        `select cast(unix_timestamp(EXCHANGE_TIME) * 1000 as unsigned) as ms from ${table}`,
      )) as [[{ ms: number }]];
      expect(Number(ms) >= from && Number(ms) <= to, `${ms} not in [${from}, ${to}]`).toBe(true);
    });
  }

  it('stores the instant from a session in another zone, and leaves the session as it was', async () => {
    // A server whose zone is +05:00: each new connection's session starts there.
    const k = knexModule({
      client: 'mysql2',
      connection: place.connection,
      pool: {
        min: 0,
        max: 1,
        afterCreate: (
          c: { query(sql: string, done: (e: Error | null) => void): unknown },
          done: (e: Error | null, c: unknown) => void,
        ) => c.query("set time_zone = '+05:00'", (e) => done(e, c)),
      },
    });
    try {
      const table = 'UP_LIC_TS_SESSION';
      await cityExchangeTable(
        city,
        table,
        `alter table ${table} modify EXCHANGE_TIME timestamp(3) not null default current_timestamp(3)`,
      );
      const now = new Date();
      const shape = { timeIsDate: true, timeIsInstant: true, statusIsNumber: false };
      const time = exchangeTimeValue(k, now, shape, 'Asia/Shanghai');
      await k(table).insert({ ...exchangeRow('S1'), EXCHANGE_TIME: time });
      const [[{ ms }]] = (await city.raw(
        `select cast(unix_timestamp(EXCHANGE_TIME) * 1000 as unsigned) as ms from ${table}`,
      )) as [[{ ms: number }]];
      const [[{ zone }]] = (await k.raw('select @@session.time_zone as zone')) as [[{ zone: string }]];
      expect(zone).toBe('+05:00');
      expect(Number(ms)).toBe(now.getTime());
    } finally {
      await k.destroy();
    }
  });
});
