/**
 * `EXCHANGE_STATUS` declared as a number (PostgreSQL `numeric(3,1)`, MariaDB `DECIMAL(3,1)`): the
 * drivers hand `1` back as the text `1.0`, and `0` as `0.0`. The codes compare by value there —
 * `01`, `1` and `1.0` are one code — while a text column compares them as trimmed text, exactly.
 */
import type { Knex } from 'knex';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ExchangeStatusCodes } from '../../adapters/platforms/front-db/config.js';
import { FrontDbTarget } from '../../adapters/platforms/front-db/front-db-target.js';
import { LicbridgeError } from '../../core/errors.js';
import { cityExchangeTable, frontDbConfig, type ScratchPlace, scratchPlace } from './front-db-fixtures.js';
import { deliveryItem } from './license-fixture.js';

const SERVERS = [
  {
    name: 'PostgreSQL',
    client: 'postgres' as const,
    numeric: (t: string) =>
      `alter table "${t}" alter column "EXCHANGE_STATUS" drop default, alter column "EXCHANGE_STATUS" type numeric(3,1) using "EXCHANGE_STATUS"::numeric`,
  },
  {
    name: 'MariaDB',
    client: 'mysql' as const,
    numeric: (t: string) => `alter table ${t} modify EXCHANGE_STATUS decimal(3,1) not null default 0`,
  },
];

const CODES: ExchangeStatusCodes = { accepted: ['01'], rejected: ['9'], pending: ['2'] };

for (const s of SERVERS) {
  describe(`front-db exchangeStatus on a numeric column (${s.name})`, () => {
    let place: ScratchPlace;
    let city: Knex;
    const opened: FrontDbTarget[] = [];
    let n = 0;

    const target = async (numeric: boolean, codes: ExchangeStatusCodes = CODES) => {
      n += 1;
      const table = `UP_LIC_NUMST_${n}`;
      await cityExchangeTable(city, table, ...(numeric ? [s.numeric(table)] : []));
      const t = new FrontDbTarget(
        'city',
        frontDbConfig(s.client, place.where, table, { exchangeStatus: codes, attempts: 1 }),
      );
      opened.push(t);
      return { t, table };
    };
    const decide = (table: string, key: string, code: number | string) =>
      city(table).where('DELIVERY_KEY', key).update({ EXCHANGE_STATUS: code });
    const poll = async (t: FrontDbTarget, key: string) =>
      ((await t.poll?.([{ key, platformId: key, receipt: null }])) ?? []).map((o) => [o.state, o.reasons]);

    beforeAll(async () => {
      place = await scratchPlace(s.client, 'lb_numst');
      city = place.city;
    });
    afterAll(async () => {
      await Promise.all(opened.map((t) => t.close()));
      await place?.dispose();
    });

    it('takes 0.0 as not picked up, and 1.0, 2.0 and 9.0 as the codes 01, 2 and 9', async () => {
      const { t, table } = await target(true);
      const items = [1, 2, 3].map((i) => deliveryItem(i, { target: 'city' }));
      const written = await t.deliver(items);
      expect(written.map((o) => [o.state, o.reasons])).toEqual([
        ['submitted', undefined],
        ['submitted', undefined],
        ['submitted', undefined],
      ]);
      const [a, b, c] = items.map((i) => i.key) as [string, string, string];
      await decide(table, a, 1);
      await decide(table, b, 2);
      await decide(table, c, 9);
      expect(await poll(t, a)).toEqual([['accepted', undefined]]);
      expect(await poll(t, b)).toEqual([['submitted', undefined]]);
      const [rejected] = await poll(t, c);
      expect(rejected?.[0]).toBe('rejected');
    });

    it('writes a refused row anew when its key is sent again', async () => {
      const { t, table } = await target(true);
      const item = deliveryItem(4, { target: 'city' });
      await t.deliver([item]);
      await decide(table, item.key, 9);
      const again = await t.deliver([item]);
      expect(again.map((o) => [o.state, o.receipt?.duplicate])).toEqual([['submitted', false]]);
    });

    it('refuses, as it opens, codes that are one number in two lists', async () => {
      const { t } = await target(true, { accepted: ['1'], rejected: ['1.0'] });
      const error = await t.deliver([deliveryItem(5, { target: 'city' })]).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(LicbridgeError);
      expect((error as LicbridgeError).message).toMatch(/`1\.0` is in both `accepted` and `rejected`/);
    });

    it('compares a text column exactly: 01 written there is no code 1', async () => {
      const { t, table } = await target(false, { accepted: ['1'], rejected: ['9'] });
      const item = deliveryItem(6, { target: 'city' });
      await t.deliver([item]);
      await decide(table, item.key, '01');
      const [outcome] = await poll(t, item.key);
      expect(outcome?.[0]).toBe('failed');
      expect(String(outcome?.[1])).toMatch(/EXCHANGE_STATUS `01` for DELIVERY_KEY \S+, a code in none of/);
    });
  });
}
