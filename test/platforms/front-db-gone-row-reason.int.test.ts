/**
 * A row the send wrote, gone from the exchange table before its `EXCHANGE_STATUS` was read: the
 * exchange system (or an archiving job) may have taken it in and then moved it out. The dead letter
 * said "replay the dead letter to write the row again" as if the row had never arrived; a replay
 * did write it again, a second copy for the exchange system when it had taken the first. The reason
 * now says the row was written and may have been taken in, and what a replay does.
 */
import { describe, expect, it } from 'vitest';
import { FrontDbTarget } from '../../adapters/platforms/front-db/front-db-target.js';
import { cityExchangeTable, frontDbConfig, scratchPlaceForTests } from './front-db-fixtures.js';
import { deliveryItem } from './license-fixture.js';

describe('front-db target on PostgreSQL: a written row gone before its code was read', () => {
  const scratch = scratchPlaceForTests('postgres', 'lb_gone', async (place) => {
    await cityExchangeTable(place.city, 'UP_LIC_GONE');
  });

  it('dead-letters it saying the row was written and a replay writes it a second time', async () => {
    const target = scratch.closedAfter(
      new FrontDbTarget(
        'city',
        frontDbConfig('postgres', scratch.place.where, 'UP_LIC_GONE', {
          exchangeStatus: { accepted: ['1'], rejected: ['9'] },
        }),
      ),
    );
    const item = deliveryItem(1, { target: 'city' });
    const [written] = await target.deliver([item]);
    expect(written?.state).toBe('submitted');
    // The exchange system takes the row in, then moves it out of the exchange table.
    await scratch.place.city('UP_LIC_GONE').where({ DELIVERY_KEY: item.key }).delete();
    const [gone] = (await target.poll?.([{ key: item.key, platformId: null, receipt: null }])) ?? [];
    expect(gone).toMatchObject({ key: item.key, state: 'failed', retryable: false });
    const reason = String(gone?.reasons?.[0]);
    expect(reason).toContain('exchange table UP_LIC_GONE no longer holds the row');
    expect(reason).toContain('the row was written');
    expect(reason).toContain('may have taken it in');
    expect(reason).toContain('replaying the dead letter writes the row again');
    expect(reason).not.toContain('replay the dead letter to write the row again');
  });
});
