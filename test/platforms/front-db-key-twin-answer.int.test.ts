/**
 * A send of a key whose exchange table (its `DELIVERY_KEY` not unique) holds two rows of it,
 * neither of them this send's (written twice by an older licbridge, by two sends at once, by hand):
 * nothing is inserted, and the delivery is answered from what the rows say. The rows were read into
 * a map by key, the last row read winning: the answer (accepted, or submitted naming that row's
 * `BATCH_NO`, by which the poll then decided alone) was the database's scan order's. The rule of the
 * poll (front-db-key-twin-status) holds here too: this send's own row decides; without one, rows
 * that agree decide and name no one row, and rows that disagree are a dead letter naming their codes.
 */
import { describe, expect, it } from 'vitest';
import { COLUMNS } from '../../adapters/platforms/front-db/exchange-table.js';
import { FrontDbTarget } from '../../adapters/platforms/front-db/front-db-target.js';
import { writeBatch } from '../../adapters/platforms/front-db/write-batch.js';
import type { DeliveryOutcome, SubmittedDelivery } from '../../adapters/platforms/target.js';
import {
  cityExchangeTable,
  dropPgPrimaryKey,
  exchangeRow,
  frontDbConfig,
  scratchPlaceForTests,
} from './front-db-fixtures.js';
import { deliveryItem } from './license-fixture.js';

const TABLE = 'UP_LIC_TWIN_ANSWER';
const EXCHANGE = { accepted: ['1'], rejected: ['9'] };

const submittedOf = (o: DeliveryOutcome): SubmittedDelivery => ({
  key: o.key,
  platformId: o.platformId ?? null,
  receipt: o.receipt ?? null,
});

describe('front-db send on PostgreSQL: a key holding two rows of earlier sends', () => {
  const scratch = scratchPlaceForTests('postgres', 'lb_twinans', (place) =>
    cityExchangeTable(place.city, TABLE, dropPgPrimaryKey(TABLE)),
  );
  let n = 0;
  const target = () =>
    scratch.closedAfter(
      new FrontDbTarget(
        'city',
        frontDbConfig('postgres', scratch.place.where, TABLE, { exchangeStatus: EXCHANGE }),
      ),
    );
  const statusOf = (key: string, batch: string, code: string) =>
    scratch.place.city(TABLE).where({ DELIVERY_KEY: key, BATCH_NO: batch }).update({ EXCHANGE_STATUS: code });

  /**
   * A license delivered (its row of batch `first`, set to `own`), then a second row of its key (batch
   * `OTHER-BATCH`, `other`) written by the city, and the license sent again: the second send's answer.
   */
  async function sentAgain(own: string, other: string): Promise<{ first: string; again: DeliveryOutcome }> {
    const t = target();
    n += 1;
    const item = deliveryItem(n, { target: 'city' });
    const [sent] = await t.deliver([item]);
    expect(sent?.state).toBe('submitted');
    const first = String(sent?.receipt?.batchNo);
    await statusOf(item.key, first, own);
    await scratch.place.city(TABLE).insert({
      ...exchangeRow(item.key, 'OTHER-BATCH'),
      EXCHANGE_TIME: '2026-12-01T00:00:00.000Z',
      EXCHANGE_STATUS: other,
    });
    const [again] = await t.deliver([item]);
    if (!again) throw new Error('no answer');
    const rows = await scratch.place.city(TABLE).where(COLUMNS.key, item.key);
    // Nothing inserted: the key was there.
    expect(rows).toHaveLength(2);
    return { first, again };
  }

  it.each([
    ['1', '0'],
    ['0', '1'],
  ])(
    'rows reading %s and %s (taken in, not picked up): a dead letter naming both codes',
    async (own, other) => {
      const { again } = await sentAgain(own, other);
      expect(again.state).toBe('failed');
      expect(again.retryable).toBe(false);
      expect(again.failure).toBe('results-disagree');
      const reason = again.reasons?.join(' ') ?? '';
      expect(reason).toContain('2 rows');
      expect(reason).toMatch(/EXCHANGE_STATUS [01], [01]\b/);
    },
  );

  it.each([
    ['1', '9'],
    ['9', '1'],
  ])(
    'rows not picked up: submitted, and once they read %s and %s, the poll is a dead letter, not one row decided',
    async (later, otherLater) => {
      const { first, again } = await sentAgain('0', '0');
      expect(again.state).toBe('submitted');
      expect(again.receipt?.duplicate).toBe(true);
      await statusOf(again.key, first, later);
      await statusOf(again.key, 'OTHER-BATCH', otherLater);
      const [polled] = (await target().poll?.([submittedOf(again)])) ?? [];
      expect(polled?.state).toBe('failed');
      expect(polled?.failure).toBe('results-disagree');
      // Neither row is known as the one this delivery wrote: the answer named none.
      expect(again.receipt?.batchNo).toBeUndefined();
    },
  );

  it('rows that agree decide: both taken in, accepted', async () => {
    const { again } = await sentAgain('1', '1');
    expect(again).toMatchObject({ state: 'accepted', receipt: { duplicate: true, exchangeStatus: '1' } });
  });
});

describe('front-db send on MariaDB: its own row beside an earlier one of its key', () => {
  const scratch = scratchPlaceForTests('mysql', 'lb_twinans', (place) =>
    cityExchangeTable(place.city, TABLE, `alter table ${TABLE} drop primary key`),
  );

  it("this send's own row decides over an earlier one beside it", async () => {
    const city = scratch.place.city;
    const earlier = { ...exchangeRow('K-OWN', 'B1'), [COLUMNS.time]: '2026-12-01T00:00:00.000Z' };
    await city(TABLE).insert({ ...earlier, EXCHANGE_STATUS: '1' });
    // `ignore` (`insert ignore` on MySQL) puts the key's second row in, as a send that met another does.
    const out = await writeBatch(city, [{ ...earlier, [COLUMNS.batch]: 'B2' }], {
      target: 'city',
      table: TABLE,
      write: {
        style: 'ignore',
        chunk: 50,
        batch: 'B2',
        deadline: { remainingMs: () => 5_000, cancel: true },
        refusedCodes: EXCHANGE.rejected,
      },
      exchange: EXCHANGE,
      statusIsNumber: false,
    });
    expect(out.get('K-OWN')).toMatchObject({
      state: 'submitted',
      receipt: { batchNo: 'B2', duplicate: false, exchangeStatus: '0' },
    });
  });
});
