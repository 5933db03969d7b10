/**
 * `licbridge status` per target: delivered, pending and dead letters — and a dead letter an operator
 * discarded (`dlq discard`) was counted nowhere, so the three did not add up to what was owed. It is
 * its own count, shown when there is one.
 */
import { describe, expect, it } from 'vitest';
import { targetDeliveries } from '../../pipelines/observability/delivery-attention.js';

describe('status per target: discarded dead letters', () => {
  it('counts discarded deliveries apart from delivered, pending and dead', () => {
    const counts = targetDeliveries(
      [
        { pipeline: 'food', target: 'province', state: 'accepted', count: 5, attempts: 5, retries: 0 },
        { pipeline: 'food', target: 'province', state: 'pending', count: 2, attempts: 2, retries: 0 },
        { pipeline: 'food', target: 'province', state: 'submitted', count: 4, attempts: 4, retries: 0 },
        { pipeline: 'food', target: 'province', state: 'dead', count: 1, attempts: 8, retries: 7 },
        { pipeline: 'food', target: 'province', state: 'discarded', count: 3, attempts: 24, retries: 21 },
        { pipeline: 'other', target: 'province', state: 'discarded', count: 9, attempts: 9, retries: 0 },
      ],
      'food',
      ['province', 'city'],
    );
    expect(counts).toEqual({
      province: { delivered: 5, pending: 6, inReview: 4, dead: 1, discarded: 3 },
      city: { delivered: 0, pending: 0, dead: 0, discarded: 0 },
    });
  });
});
