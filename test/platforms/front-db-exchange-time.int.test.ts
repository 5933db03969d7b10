/**
 * `EXCHANGE_TIME` in a city's table declared as a date/time column (MySQL `DATETIME`, PostgreSQL
 * `timestamp`) rather than text: the row is written with the time as a wall clock (the target's
 * `timeZone`, Asia/Shanghai by default; other host zones: ./front-db-time-zone.int.test.ts). ISO
 * text was refused by MariaDB for every row (SQLSTATE 22007, every batch retried), and
 * PostgreSQL's `timestamp` dropped its `Z`, 8 hours off a Beijing clock. A text column still gets
 * the ISO text. The file runs in Asia/Shanghai, where the two differ.
 */
import type { Knex } from 'knex';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureExchangeTable } from '../../adapters/platforms/front-db/exchange-table.js';
import { FrontDbTarget } from '../../adapters/platforms/front-db/front-db-target.js';
import { cityExchangeTable, frontDbConfig, type ScratchPlace, scratchPlace } from './front-db-fixtures.js';
import { deliveryItem } from './license-fixture.js';

/** `d` as a wall clock in this process's zone, to the millisecond, as the databases print it. */
const wallClock = (d: Date): string => {
  const two = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${two(d.getMonth() + 1)}-${two(d.getDate())} ${two(d.getHours())}:${two(
    d.getMinutes(),
  )}:${two(d.getSeconds())}.${String(d.getMilliseconds()).padStart(3, '0')}`;
};

const SERVERS = [
  {
    name: 'PostgreSQL',
    client: 'postgres' as const,
    dateType: 'timestamp(3) without time zone',
    asText: (column: string) => `"${column}"::text`,
  },
  {
    name: 'MariaDB',
    client: 'mysql' as const,
    dateType: 'datetime(3)',
    asText: (column: string) => `cast(\`${column}\` as char)`,
  },
];

for (const server of SERVERS) {
  describe(`front-db EXCHANGE_TIME column type (${server.name})`, () => {
    const hostZone = process.env.TZ;
    let place: ScratchPlace;
    let city: Knex;
    const opened: FrontDbTarget[] = [];

    const target = (table: string) => {
      const t = new FrontDbTarget(
        'city-front',
        frontDbConfig(server.client, place.where, table, { attempts: 1 }),
      );
      opened.push(t);
      return t;
    };
    const storedTime = async (table: string): Promise<string> => {
      const rows: { t: string }[] = await city(table).select(
        city.raw(`${server.asText('EXCHANGE_TIME')} as t`),
      );
      expect(rows).toHaveLength(1);
      // PostgreSQL prints `.640` as `.64`, and no fraction for `.000`: compared as text with the
      // window's ends, such a time fell outside it.
      const [whole = '', fraction = ''] = (rows[0]?.t ?? '').split('.');
      return `${whole}.${fraction.padEnd(3, '0')}`;
    };

    beforeAll(async () => {
      process.env.TZ = 'Asia/Shanghai';
      place = await scratchPlace(server.client, 'lb_extime');
      city = place.city;
    });
    afterAll(async () => {
      await Promise.all(opened.map((t) => t.close()));
      await place?.dispose();
      if (hostZone === undefined) delete process.env.TZ;
      else process.env.TZ = hostZone;
    });

    it('writes the time of a date/time column as this machine’s wall clock', async () => {
      await cityExchangeTable(
        city,
        'UP_LIC_DATED',
        server.client === 'postgres'
          ? `alter table "UP_LIC_DATED" alter column "EXCHANGE_TIME" type ${server.dateType} using now()`
          : `alter table UP_LIC_DATED modify EXCHANGE_TIME ${server.dateType} not null`,
      );
      const before = new Date();
      const out = await target('UP_LIC_DATED').deliver([deliveryItem(1, { target: 'city-front' })]);
      const after = new Date();
      expect(out.map((o) => o.state)).toEqual(['accepted']);
      const stored = await storedTime('UP_LIC_DATED');
      expect(stored >= wallClock(before) && stored <= wallClock(after), stored).toBe(true);
    });

    it('writes ISO text into a text column, as before', async () => {
      await ensureExchangeTable(city, 'UP_LIC_TEXT');
      const out = await target('UP_LIC_TEXT').deliver([deliveryItem(2, { target: 'city-front' })]);
      expect(out.map((o) => o.state)).toEqual(['accepted']);
      expect(await storedTime('UP_LIC_TEXT')).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
    });
  });
}
