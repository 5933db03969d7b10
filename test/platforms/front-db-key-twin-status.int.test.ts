/**
 * A city's exchange table whose `DELIVERY_KEY` has no primary key or unique index can hold two
 * rows of a key (written twice by an older licbridge, by two sends at once, or by hand). Polled
 * with `exchangeStatus`, the key's rows were read into a map by key, the last row read winning:
 * which row's `EXCHANGE_STATUS` decided was the database's scan order, and a license the exchange
 * system took in could read as refused, or the reverse. The row this delivery's answer named (its
 * `BATCH_NO`) now decides; without one, rows that agree decide, and rows that disagree are a dead
 * letter naming their codes.
 */
import { describe, expect, it } from 'vitest';
import { FrontDbTarget } from '../../adapters/platforms/front-db/front-db-target.js';
import type { DeliveryOutcome, SubmittedDelivery } from '../../adapters/platforms/target.js';
import {
  cityExchangeTable,
  dropPgPrimaryKey,
  exchangeRow,
  frontDbConfig,
  scratchPlaceForTests,
} from './front-db-fixtures.js';
import { deliveryItem } from './license-fixture.js';

const TABLE = 'UP_LIC_TWIN';
const EXCHANGE = { accepted: ['1'], rejected: ['9'] };

const submittedOf = (o: DeliveryOutcome, receipt = true): SubmittedDelivery => ({
  key: o.key,
  platformId: o.platformId ?? null,
  receipt: receipt ? (o.receipt ?? null) : null,
});

describe('front-db poll on PostgreSQL: a key holding two rows', () => {
  const scratch = scratchPlaceForTests('postgres', 'lb_twinst', (place) =>
    cityExchangeTable(place.city, TABLE, dropPgPrimaryKey(TABLE)),
  );
  let n = 0;

  /** A license delivered, its row set to `own` by the exchange system, then a second row of its key set to `other`. */
  async function twinRows(own: string, other: string): Promise<DeliveryOutcome> {
    const target = scratch.closedAfter(
      new FrontDbTarget(
        'city',
        frontDbConfig('postgres', scratch.place.where, TABLE, { exchangeStatus: EXCHANGE }),
      ),
    );
    n += 1;
    const [sent] = await target.deliver([deliveryItem(n, { target: 'city' })]);
    if (!sent) throw new Error('no answer');
    expect(sent.state).toBe('submitted');
    const city = scratch.place.city;
    await city(TABLE).where('DELIVERY_KEY', sent.key).update({ EXCHANGE_STATUS: own });
    // Inserted after the update: the scan reads it last.
    await city(TABLE).insert({
      ...exchangeRow(sent.key, 'OTHER-BATCH'),
      EXCHANGE_TIME: '2026-12-01T00:00:00.000Z',
      EXCHANGE_STATUS: other,
    });
    return sent;
  }

  const poll = async (submitted: SubmittedDelivery): Promise<DeliveryOutcome | undefined> => {
    const target = scratch.closedAfter(
      new FrontDbTarget(
        'city',
        frontDbConfig('postgres', scratch.place.where, TABLE, { exchangeStatus: EXCHANGE }),
      ),
    );
    return (await target.poll?.([submitted]))?.[0];
  };

  it('the row this delivery wrote, taken in, decides: accepted, whatever the other row says', async () => {
    const sent = await twinRows('1', '9');
    const polled = await poll(submittedOf(sent));
    expect(polled?.state).toBe('accepted');
  });

  it('the row this delivery wrote, refused, decides: rejected, whatever the other row says', async () => {
    const sent = await twinRows('9', '1');
    const polled = await poll(submittedOf(sent));
    expect(polled?.state).toBe('rejected');
    expect(polled?.reasons?.join(' ')).toContain('EXCHANGE_STATUS 9');
  });

  it('no row of its batch known, rows that disagree: a dead letter naming both codes', async () => {
    const sent = await twinRows('1', '9');
    const polled = await poll(submittedOf(sent, false));
    expect(polled?.state).toBe('failed');
    expect(polled?.retryable).toBe(false);
    expect(polled?.failure).toBe('results-disagree');
    const reason = polled?.reasons?.join(' ') ?? '';
    expect(reason).toContain('2 rows');
    expect(reason).toMatch(/EXCHANGE_STATUS 1\b.*\b9\b/);
  });

  it('no row of its batch known, rows that agree: their decision', async () => {
    const sent = await twinRows('9', '9');
    const polled = await poll(submittedOf(sent, false));
    expect(polled?.state).toBe('rejected');
  });
});
