/**
 * The one bounded wait of the processes that stop (`run`, `worker`, a forced worker close): a close
 * that fails must not end the stop before the leases are released and the connections closed, and
 * one that never ends must not hold it.
 */
import { describe, expect, it, vi } from 'vitest';
import { within } from '../../core/within.js';

describe('within', () => {
  it('is true for a promise that settles in time, resolved or rejected', async () => {
    expect(await within(Promise.resolve('x'), 1000)).toBe(true);
    // A rejected close is settled: the stop goes on to what comes after it.
    expect(await within(Promise.reject(new Error('close failed')), 1000)).toBe(true);
    expect(await within(Promise.reject(new Error('close failed')), undefined)).toBe(true);
  });

  it('is false for one that does not settle in time, and not before its time is out', async () => {
    vi.useFakeTimers();
    try {
      let answer: boolean | undefined;
      void within(new Promise(() => undefined), 50).then((a) => {
        answer = a;
      });
      await vi.advanceTimersByTimeAsync(49);
      expect(answer).toBeUndefined();
      await vi.advanceTimersByTimeAsync(1);
      expect(answer).toBe(false);
    } finally {
      vi.useRealTimers();
    }
  });

  it('waits whole without a bound, and has nothing to wait for without a promise', async () => {
    const slow = new Promise((r) => setTimeout(r, 30));
    expect(await within(slow, undefined)).toBe(true);
    expect(await within(undefined, 10)).toBe(true);
  });
});
