// `status` on dead letters of a target their pipeline no longer delivers to, the target kept in the
// config for other pipelines: `dlq replay` leaves them dead (cd496be8), so replaying is no advice.
import { describe, expect, it } from 'vitest';
import type { Config } from '../../config/types.js';
import { deadLetterAttention } from '../../pipelines/observability/delivery-attention.js';

const config = {
  targets: { province: { kind: 'rest-json' }, 'province-v2': { kind: 'rest-json' } },
} as unknown as Pick<Config, 'targets'>;
const counts = (dead: number) => ({ delivered: 0, pending: 0, dead, discarded: 0 });

describe('status: dead letters of a target the pipeline has left', () => {
  it('says to put the target back in the pipeline’s targets, not to replay them', () => {
    const notes = deadLetterAttention(config, 'food', { 'province-v2': counts(0), province: counts(2) }, [
      'province-v2',
    ]);
    expect(notes.map((n) => n.message)).toEqual([
      'pipeline food: 2 dead letter(s) for target province, which the pipeline no longer delivers to; put the target back in its `targets` and replay them, or `licbridge dlq discard` them',
    ]);
  });

  it('a target the pipeline delivers to: fix the cause, then replay', () => {
    const notes = deadLetterAttention(config, 'food', { province: counts(1) }, ['province']);
    expect(notes.map((n) => n.message)).toEqual([
      'pipeline food: 1 dead letter(s) for target province; fix the cause, then replay them',
    ]);
  });

  it('open deliveries there: said, as no run or sweep of the pipeline takes them', () => {
    const open = { delivered: 3, pending: 2, inReview: 1, dead: 0, discarded: 0 };
    const notes = deadLetterAttention(config, 'food', { 'province-v2': counts(0), province: open }, [
      'province-v2',
    ]);
    expect(notes.map((n) => [n.kind, n.message])).toEqual([
      [
        'delivery-unqueued',
        'pipeline food: 2 delivery(ies) to target province, which the pipeline no longer delivers to, still open (pending or submitted); no run or sweep of the pipeline takes them: put the target back in its `targets`, then `licbridge run food`',
      ],
    ]);
  });

  it('open deliveries at a target the pipeline delivers to: no line', () => {
    const open = { delivered: 0, pending: 2, dead: 0, discarded: 0 };
    expect(deadLetterAttention(config, 'food', { province: open }, ['province'])).toEqual([]);
  });
});
