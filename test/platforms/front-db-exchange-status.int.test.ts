/**
 * A front database whose exchange system decides on rows after they are written (`exchangeStatus`):
 * a written row is `submitted`, and `poll` reads the code the exchange system sets into
 * `EXCHANGE_STATUS` — accepted, rejected with the code (and its reason column), or still
 * submitted. The test plays the exchange system on its own connection, on SQLite, PostgreSQL and
 * MariaDB. Without the setting a written row is accepted, as it always was.
 */

import type { Knex } from 'knex';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FrontDbTargetConfig } from '../../adapters/platforms/front-db/config.js';
import { ensureExchangeTable } from '../../adapters/platforms/front-db/exchange-table.js';
import { FrontDbTarget } from '../../adapters/platforms/front-db/front-db-target.js';
import type { DeliveryOutcome, SubmittedDelivery } from '../../adapters/platforms/target.js';
import { LicbridgeError } from '../../core/errors.js';
import { type FrontDbPlace, frontDbConfig, scratchPlace, sqlitePlace } from './front-db-fixtures.js';
import { deliveryItem, HOLDER_ID, HOLDER_NAME } from './license-fixture.js';

const EXCHANGE = { accepted: ['1'], rejected: ['2', '9'] };

interface Place {
  client: FrontDbTargetConfig['client'];
  where: Pick<FrontDbTargetConfig, 'connection' | 'path'>;
  /** The exchange system's own connection to the front database. */
  exchange: Knex;
  dispose(): Promise<void>;
}

interface Server {
  name: string;
  open(): Promise<Place>;
}

/** The front database, its knex handle taken as the exchange system's own connection. */
const asExchange = ({ client, where, city, dispose }: FrontDbPlace): Place => ({
  client,
  where,
  exchange: city,
  dispose,
});

const SERVERS: Server[] = [
  { name: 'SQLite', open: async () => asExchange(await sqlitePlace('lb-exst')) },
  { name: 'PostgreSQL', open: async () => asExchange(await scratchPlace('postgres', 'lb_exst')) },
  { name: 'MariaDB', open: async () => asExchange(await scratchPlace('mysql', 'lb_exst')) },
];

const submittedOf = (outcomes: readonly DeliveryOutcome[]): SubmittedDelivery[] =>
  outcomes.map((o) => ({ key: o.key, platformId: o.platformId ?? null, receipt: o.receipt ?? null }));

for (const server of SERVERS) {
  describe(`front-db exchangeStatus (${server.name})`, () => {
    let place: Place;
    const opened: FrontDbTarget[] = [];
    let tables = 0;

    /** A target writing a table of its own, with `extra` config. */
    const target = (extra: Partial<FrontDbTargetConfig> = {}) => {
      tables += 1;
      const t = new FrontDbTarget(
        'city-front',
        frontDbConfig(place.client, place.where, `UP_LIC_EXST_${tables}`, {
          createTable: true,
          batchSize: 2,
          concurrency: 2,
          attempts: 1,
          ...extra,
        }),
      );
      opened.push(t);
      return { t, table: `UP_LIC_EXST_${tables}` };
    };
    /** The exchange system sets a row's code (and reason). */
    const decide = (table: string, key: string, code: string, more: Record<string, string> = {}) =>
      place
        .exchange(table)
        .where('DELIVERY_KEY', key)
        .update({ EXCHANGE_STATUS: code, ...more });
    const statusOf = async (table: string): Promise<Record<string, { status: string; batch: string }>> => {
      const rows: { DELIVERY_KEY: string; EXCHANGE_STATUS: unknown; BATCH_NO: string }[] = await place
        .exchange(table)
        .select('DELIVERY_KEY', 'EXCHANGE_STATUS', 'BATCH_NO');
      return Object.fromEntries(
        rows.map((r) => [r.DELIVERY_KEY, { status: String(r.EXCHANGE_STATUS).trim(), batch: r.BATCH_NO }]),
      );
    };

    beforeAll(async () => {
      place = await server.open();
    });
    afterAll(async () => {
      await Promise.all(opened.map((t) => t.close()));
      await place?.dispose();
    });

    it('answers a written row submitted, and poll the exchange system decision per row', async () => {
      const { t, table } = target({ exchangeStatus: { ...EXCHANGE, pending: ['5'] } });
      const items = [1, 2, 3, 4, 5].map((n) => deliveryItem(n, { target: 'city-front' }));
      const written = await t.deliver(items);
      expect(written.map((o) => o.state)).toEqual(Array(5).fill('submitted'));
      const rows = await statusOf(table);
      expect(Object.values(rows).map((r) => r.status)).toEqual(Array(5).fill('0'));

      // Nothing picked up yet: still submitted.
      const before = await t.poll?.(submittedOf(written));
      expect(before?.map((o) => o.state)).toEqual(Array(5).fill('submitted'));

      const [a, b, c, d, e] = items.map((i) => i.key) as [string, string, string, string, string];
      await decide(table, a, '1');
      await decide(table, b, '9');
      await decide(table, c, '2');
      // A pending code (the exchange system's "in progress") decides nothing.
      await decide(table, d, '5');
      const after = (await t.poll?.(submittedOf(written))) ?? [];
      expect(after.map((o) => [o.key, o.state])).toEqual([
        [a, 'accepted'],
        [b, 'rejected'],
        [c, 'rejected'],
        [d, 'submitted'],
        [e, 'submitted'],
      ]);
      expect(after[0]).toMatchObject({ platformId: a });
      expect(after[1]?.reasons?.[0]).toContain('EXCHANGE_STATUS 9');
      expect(after[2]?.reasons?.[0]).toContain('EXCHANGE_STATUS 2');
      expect(after.some((o) => o.unverified)).toBe(false);
    });

    it('dead-letters a row whose code is in no list, naming the target, table, key and code', async () => {
      const { t, table } = target({ exchangeStatus: { ...EXCHANGE, pending: ['5'] } });
      const items = [31, 32].map((n) => deliveryItem(n, { target: 'city-front' }));
      const [odd, again] = items.map((i) => i.key) as [string, string];
      const written = await t.deliver(items);
      await decide(table, odd, '7');
      await decide(table, again, '7');
      const [polled] = (await t.poll?.(submittedOf(written.slice(0, 1)))) ?? [];
      expect(polled).toMatchObject({ key: odd, state: 'failed', retryable: false });
      const reason = polled?.reasons?.[0] ?? '';
      for (const part of ['city-front', table, odd, '`7`', 'accepted, rejected or pending']) {
        expect(reason).toContain(part);
      }
      expect(reason).not.toContain(HOLDER_NAME);
      expect(reason).not.toContain(HOLDER_ID);
      expect(polled?.unverified).toBeUndefined();
      // A send whose answer was lost finds the row there with the same code: a dead letter too.
      const [resent] = await t.deliver(items.slice(1));
      expect(resent).toMatchObject({ key: again, state: 'failed', retryable: false });
      expect(resent?.reasons?.[0]).toContain('`7`');
    });

    it('dead-letters a row gone from the exchange table before any code was read', async () => {
      const { t, table } = target({ exchangeStatus: EXCHANGE });
      const [item] = [deliveryItem(11, { target: 'city-front' })];
      const written = await t.deliver([item as ReturnType<typeof deliveryItem>]);
      expect(written[0]?.state).toBe('submitted');
      await place.exchange(table).where('DELIVERY_KEY', item?.key).delete();
      const [gone] = (await t.poll?.(submittedOf(written))) ?? [];
      expect(gone).toMatchObject({ key: item?.key, state: 'failed', retryable: false });
      expect(gone?.reasons?.[0]).toContain('no longer holds the row');
      expect(gone?.unverified).toBeUndefined();
    });

    it('offers a refused row anew when its delivery is sent again; a row taken in stays as it is', async () => {
      const { t, table } = target({ exchangeStatus: EXCHANGE });
      const items = [21, 22, 23].map((n) => deliveryItem(n, { target: 'city-front' }));
      const [refused, taken, waiting] = items.map((i) => i.key) as [string, string, string];
      await t.deliver(items);
      const first = await statusOf(table);
      await decide(table, refused, '9');
      await decide(table, taken, '1');

      // Sent again (a dead letter replayed, or a send whose answer was lost).
      const again = await t.deliver(items);
      expect(again.map((o) => [o.key, o.state])).toEqual([
        [refused, 'submitted'],
        [taken, 'accepted'],
        [waiting, 'submitted'],
      ]);
      expect(again[0]?.receipt).toMatchObject({ duplicate: false });
      expect(again[1]?.receipt).toMatchObject({ duplicate: true });
      expect(again[2]?.receipt).toMatchObject({ duplicate: true });
      const second = await statusOf(table);
      // The refused row was written again, for the exchange system to pick up anew.
      expect(second[refused]?.status).toBe('0');
      expect(second[refused]?.batch).not.toBe(first[refused]?.batch);
      expect(second[taken]).toEqual({ status: '1', batch: first[taken]?.batch });
      expect(second[waiting]).toEqual(first[waiting]);
      expect(Object.keys(second)).toHaveLength(3);
    });

    it('offers a refused row anew when its code is stored padded, as a CHAR column holds it', async () => {
      const { t, table } = target({ exchangeStatus: EXCHANGE });
      const [item] = [deliveryItem(31, { target: 'city-front' })] as [ReturnType<typeof deliveryItem>];
      await t.deliver([item]);
      // `9 `: what a CHAR(2) EXCHANGE_STATUS holds where the database keeps the padding.
      await decide(table, item.key, '9 ');
      const [again] = await t.deliver([item]);
      expect(again?.state).toBe('submitted');
      expect((await statusOf(table))[item.key]?.status).toBe('0');
    });

    it("joins the exchange system's reason column to the code", async () => {
      tables += 1;
      const table = `UP_LIC_EXST_${tables}`;
      await ensureExchangeTable(place.exchange, table);
      await place.exchange.schema.alterTable(table, (c) => {
        c.string('EXCHANGE_MSG', 500).nullable();
      });
      const t = new FrontDbTarget('city-front', {
        kind: 'front-db',
        client: place.client,
        ...place.where,
        table,
        dataSource: '11370211MB1234567X',
        createTable: false,
        batchSize: 100,
        timeoutMs: 10_000,
        concurrency: 2,
        attempts: 1,
        exchangeStatus: { ...EXCHANGE, reasonColumn: 'EXCHANGE_MSG' },
      });
      opened.push(t);
      const items = [31, 32].map((n) => deliveryItem(n, { target: 'city-front' }));
      const written = await t.deliver(items);
      await decide(table, items[0]?.key as string, '2', { EXCHANGE_MSG: '统一社会信用代码校验不通过' });
      await decide(table, items[1]?.key as string, '9');
      const [withReason, codeOnly] = (await t.poll?.(submittedOf(written))) ?? [];
      expect(withReason?.reasons).toEqual([
        `exchange system refused the row of ${table} (EXCHANGE_STATUS 2): 统一社会信用代码校验不通过`,
      ]);
      expect(codeOnly?.reasons).toEqual([`exchange system refused the row of ${table} (EXCHANGE_STATUS 9)`]);
    });

    it('without exchangeStatus a written row is accepted and the target has no poll, as before', async () => {
      const { t, table } = target();
      expect(t.poll).toBeUndefined();
      const items = [41, 42].map((n) => deliveryItem(n, { target: 'city-front' }));
      const written = await t.deliver(items);
      expect(written.map((o) => o.state)).toEqual(['accepted', 'accepted']);
      // A code the exchange system set does not change what a send again answers.
      await decide(table, items[0]?.key as string, '9');
      expect((await t.deliver(items)).map((o) => o.state)).toEqual(['accepted', 'accepted']);
      expect((await statusOf(table))[items[0]?.key as string]?.status).toBe('9');
    });
  });
}

describe('front-db exchangeStatus: a front database that cannot be read', () => {
  it('leaves the polled keys unverified and retryable, naming no personal data', async () => {
    const t = new FrontDbTarget('city-front', {
      kind: 'front-db',
      client: 'postgres',
      connection: { host: '127.0.0.1', port: 1, user: 'postgres', database: 'none' },
      table: 'UP_LIC_DATA',
      dataSource: '11370211MB1234567X',
      createTable: false,
      batchSize: 100,
      timeoutMs: 2000,
      concurrency: 1,
      attempts: 1,
      exchangeStatus: EXCHANGE,
    });
    try {
      const keys = [51, 52].map((n) => deliveryItem(n, { target: 'city-front' }).key);
      const out = (await t.poll?.(keys.map((key) => ({ key, platformId: key, receipt: null })))) ?? [];
      expect(out.map((o) => [o.key, o.state, o.retryable, o.unverified])).toEqual(
        keys.map((k) => [k, 'failed', true, true]),
      );
      const text = JSON.stringify(out);
      expect(text).toContain('reading exchange table UP_LIC_DATA failed');
      expect(text).not.toContain(HOLDER_NAME);
      expect(text).not.toContain(HOLDER_ID);
    } finally {
      await t.close();
    }
  });

  it('refuses a code in both lists, and the code licbridge writes itself, naming the field and code', () => {
    const make = (exchangeStatus: FrontDbTargetConfig['exchangeStatus']) =>
      new FrontDbTarget('city-front', {
        kind: 'front-db',
        client: 'sqlite',
        path: '/nonexistent/front.db',
        table: 'UP_LIC_DATA',
        dataSource: '11370211MB1234567X',
        createTable: false,
        batchSize: 100,
        timeoutMs: 2000,
        concurrency: 1,
        attempts: 1,
        ...(exchangeStatus ? { exchangeStatus } : {}),
      });
    expect(() => make({ accepted: ['1', '3'], rejected: ['2', '3'] })).toThrow(
      /targets\.city-front\.exchangeStatus.*code `3` is in both `accepted` and `rejected`/,
    );
    expect(() => make({ accepted: ['0'], rejected: ['2'] })).toThrow(/got `0` in `accepted`/);
    expect(() => make({ accepted: ['1'], rejected: ['0'] })).toThrow(LicbridgeError);
    expect(() => make({ accepted: ['1'], rejected: ['2'], pending: ['3', '2 '] })).toThrow(
      /code `2 ` is in both `rejected` and `pending`/,
    );
    expect(() => make({ accepted: ['1'], rejected: ['2'], pending: ['0', '3'] })).not.toThrow();
  });
});
