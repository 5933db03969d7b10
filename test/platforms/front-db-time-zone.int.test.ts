/**
 * A date/time `EXCHANGE_TIME` (MySQL `DATETIME`, PostgreSQL `timestamp`) holds a wall clock with no
 * zone: the city's reader takes it as its own (Beijing) time. It is written in the target's
 * `timeZone`, whatever this machine's zone: a host run in UTC wrote a time 8 hours behind. A
 * `timestamp with time zone` holds the instant itself. Each case runs with TZ=UTC and TZ=Asia/Shanghai.
 */
import type { Knex } from 'knex';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FrontDbTargetConfig } from '../../adapters/platforms/front-db/config.js';
import { FrontDbTarget } from '../../adapters/platforms/front-db/front-db-target.js';
import { cityExchangeTable, frontDbConfig, type ScratchPlace, scratchPlace } from './front-db-fixtures.js';
import { deliveryItem } from './license-fixture.js';

/** `d` on the wall clock of `timeZone`, to the millisecond, as the databases print it. */
const wallClock = (d: Date, timeZone: string): string => {
  const f = new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hourCycle: 'h23',
  });
  const p = Object.fromEntries(f.formatToParts(d).map((x) => [x.type, x.value]));
  const ms = String(d.getUTCMilliseconds()).padStart(3, '0');
  return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}:${p.second}.${ms}`;
};

const SERVERS = [
  {
    name: 'PostgreSQL',
    client: 'postgres' as const,
    dated: (t: string) =>
      `alter table "${t}" alter column "EXCHANGE_TIME" type timestamp(3) without time zone using now()`,
    asText: `"EXCHANGE_TIME"::text`,
  },
  {
    name: 'MariaDB',
    client: 'mysql' as const,
    dated: (t: string) => `alter table ${t} modify EXCHANGE_TIME datetime(3) not null`,
    asText: 'cast(`EXCHANGE_TIME` as char)',
  },
];

for (const server of SERVERS) {
  for (const hostZone of ['UTC', 'Asia/Shanghai']) {
    describe(`front-db EXCHANGE_TIME in the target's time zone (${server.name}, TZ=${hostZone})`, () => {
      const before = process.env.TZ;
      let place: ScratchPlace;
      let city: Knex;
      const opened: FrontDbTarget[] = [];
      let n = 0;

      const written = async (extra: Partial<FrontDbTargetConfig>) => {
        n += 1;
        const table = `UP_LIC_TZ_${n}`;
        await cityExchangeTable(city, table, server.dated(table));
        const t = new FrontDbTarget('city', frontDbConfig(server.client, place.where, table, extra));
        opened.push(t);
        const from = new Date();
        const out = await t.deliver([deliveryItem(n, { target: 'city' })]);
        const to = new Date();
        expect(out.map((o) => o.state)).toEqual(['accepted']);
        const rows: { t: string }[] = await city(table).select(city.raw(`${server.asText} as t`));
        // PostgreSQL prints `.640` as `.64`, and no fraction for `.000`.
        const [whole = '', fraction = ''] = (rows[0]?.t ?? '').split('.');
        return { from, to, stored: `${whole}.${fraction.padEnd(3, '0')}` };
      };

      beforeAll(async () => {
        process.env.TZ = hostZone;
        place = await scratchPlace(server.client, 'lb_extz');
        city = place.city;
      });
      afterAll(async () => {
        await Promise.all(opened.map((t) => t.close()));
        await place?.dispose();
        if (before === undefined) delete process.env.TZ;
        else process.env.TZ = before;
      });

      it('writes the Beijing wall clock by default', async () => {
        const { from, to, stored } = await written({});
        const zone = 'Asia/Shanghai';
        expect(stored >= wallClock(from, zone) && stored <= wallClock(to, zone), stored).toBe(true);
      });

      it('writes the wall clock of the configured timeZone', async () => {
        const { from, to, stored } = await written({ timeZone: 'Asia/Urumqi' });
        const zone = 'Asia/Urumqi';
        expect(stored >= wallClock(from, zone) && stored <= wallClock(to, zone), stored).toBe(true);
      });
    });
  }
}
