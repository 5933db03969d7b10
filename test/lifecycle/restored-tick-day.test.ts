/**
 * The day a restored lifecycle tick's job id names (`lifecycle-tick-restored-<day>`,
 * restored-tick.ts). A day of the right shape that no calendar has (`2026-13-45`) was taken as the
 * tick's day, and the job failed in startOfLocalDay (`calendar: not a date`) while it waited for
 * the ledger's clock to reach it: such an id is no restored tick's.
 */
import { describe, expect, it } from 'vitest';
import { restoredTickDay, restoredTickId } from '../../pipelines/lifecycle/restored-tick.js';
import { LIFECYCLE_SCHEDULER_ID } from '../../pipelines/schedules.js';

describe('restoredTickDay', () => {
  it('reads the day of a restored tick, and of its copy queued again after a stall-out', () => {
    expect(restoredTickDay(restoredTickId('2026-12-08'))).toBe('2026-12-08');
    expect(restoredTickDay(`${restoredTickId('2024-02-29')}-stalled-2`)).toBe('2024-02-29');
  });

  it('takes a day no calendar has for no restored tick', () => {
    for (const day of ['2026-13-45', '2026-02-29', '2026-04-31', '2026-00-10', '2026-12-00']) {
      expect(restoredTickDay(restoredTickId(day))).toBeUndefined();
      expect(restoredTickDay(`${restoredTickId(day)}-stalled-1`)).toBeUndefined();
    }
  });

  it("takes any other job's id for no restored tick", () => {
    expect(restoredTickDay(`repeat:${LIFECYCLE_SCHEDULER_ID}:1796659200000`)).toBeUndefined();
    expect(restoredTickDay(restoredTickId('2026-1-8'))).toBeUndefined();
    expect(restoredTickDay(`${restoredTickId('2026-12-08')}x`)).toBeUndefined();
  });
});
