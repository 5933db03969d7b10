/**
 * The failed outcomes of one send or status request, grouped as the deliver stage records them
 * (pipelines/stages/deliver-attempt-reasons.ts `attemptGroups`): by the text each delivery keeps
 * and its reason code, so a batch that failed in several ways records each delivery's own failure.
 */
import { describe, expect, it } from 'vitest';
import type { DeliveryOutcome } from '../../adapters/platforms/target.js';
import { attemptGroups } from '../../pipelines/stages/deliver-attempt-reasons.js';

const failed = (key: string, more: Partial<DeliveryOutcome> = {}): DeliveryOutcome => ({
  key,
  state: 'failed',
  retryable: true,
  ...more,
});

describe('attemptGroups', () => {
  it('groups by text and code, in the order first met, leaving out what is not a retryable failure', () => {
    const groups = attemptGroups(
      [
        failed('a', { reasons: ['service answered without a result for this key'], failure: 'no-result' }),
        failed('b', { reasons: ['exchange table T refused the row (23502)'], failure: 'other' }),
        failed('c', { reasons: ['service answered without a result for this key'], failure: 'no-result' }),
        // The same words under another kind are another failure.
        failed('d', { reasons: ['exchange table T refused the row (23502)'], failure: 'timeout' }),
        failed('e'),
        failed('f', { retryable: false, reasons: ['HTTP 400'] }),
        { key: 'g', state: 'accepted', platformId: 'p' },
      ],
      'not accepted yet',
    );
    expect(groups).toEqual([
      { error: 'service answered without a result for this key', reason: 'no-result', keys: ['a', 'c'] },
      { error: 'exchange table T refused the row (23502)', reason: 'other', keys: ['b'] },
      { error: 'exchange table T refused the row (23502)', reason: 'timeout', keys: ['d'] },
      { error: 'not accepted yet', reason: 'no-verdict', keys: ['e'] },
    ]);
  });

  it('has no group when nothing failed', () => {
    expect(attemptGroups([{ key: 'a', state: 'submitted' }], 'not accepted yet')).toEqual([]);
  });
});
