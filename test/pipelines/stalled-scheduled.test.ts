/**
 * When a scheduler's job counts as stalled out (workers/stalled-scheduled.ts): past the limit, as
 * BullMQ fails other jobs, and after a failure so only once it stalls again (a retry by hand runs).
 */
import { describe, expect, it } from 'vitest';
import { scheduledStalledOut } from '../../pipelines/workers/stalled-scheduled.js';

const job = (stalledCounter: number, data: object = {}) => ({
  repeatJobKey: 'schedule-p',
  stalledCounter,
  data,
});

describe('scheduledStalledOut', () => {
  it('is past the limit only: a job stalled as often as it may runs', () => {
    expect(scheduledStalledOut(job(5), 5)).toBe(false);
    expect(scheduledStalledOut(job(6), 5)).toBe(true);
  });

  it('leaves jobs no scheduler made to BullMQ', () => {
    expect(scheduledStalledOut({ ...job(9), repeatJobKey: undefined }, 5)).toBe(false);
  });

  it('after failing it so, again only once it stalls again', () => {
    expect(scheduledStalledOut(job(6, { failedAtStalls: 6 }), 5)).toBe(false);
    expect(scheduledStalledOut(job(7, { failedAtStalls: 6 }), 5)).toBe(true);
  });
});
