/**
 * The one bounded wait of the processes that stop (`run`, `worker`, a forced worker close): a close
 * that fails must not end the stop before the leases are released and the connections closed, and
 * one that never ends must not hold it.
 */
import { describe, expect, it, vi } from 'vitest';
import { ANSWER_MIN_MS, answeredWithin, within } from '../../core/within.js';

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

describe('answeredWithin', () => {
  it('gives a step its answer, or fails it as unanswered once its time is out', async () => {
    expect(await answeredWithin(Promise.resolve(7), 20_000)).toBe(7);
    vi.useFakeTimers();
    try {
      let failed: unknown;
      void answeredWithin(new Promise(() => undefined), 20_000, 'run: a sweep', 'Redis or the ledger').catch(
        (e: unknown) => {
          failed = e;
        },
      );
      await vi.advanceTimersByTimeAsync(19_999);
      expect(failed).toBeUndefined();
      await vi.advanceTimersByTimeAsync(1);
      expect(failed).toMatchObject({
        code: 'LB_QUEUE_UNREACHABLE',
        message: 'run: a sweep got no answer from Redis or the ledger for 20 s; see `licbridge status`',
      });
    } finally {
      vi.useRealTimers();
    }
  });

  it('gives a step ANSWER_MIN_MS at least, however short the idle timeout: a slow sweep is no silent Redis', async () => {
    vi.useFakeTimers();
    try {
      let failed: unknown;
      void answeredWithin(new Promise(() => undefined), 1000).catch((e: unknown) => {
        failed = e;
      });
      await vi.advanceTimersByTimeAsync(ANSWER_MIN_MS - 1);
      expect(failed).toBeUndefined();
      await vi.advanceTimersByTimeAsync(1);
      expect(failed).toMatchObject({ message: expect.stringContaining(`for ${ANSWER_MIN_MS / 1000} s`) });
    } finally {
      vi.useRealTimers();
    }
  });
});
