import { afterEach, describe, expect, it, vi } from 'vitest';
import { RunCompletion } from '../../pipelines/stages/run-completion.js';

afterEach(() => {
  vi.useRealTimers();
});

describe('run completion checks from deliver jobs', () => {
  it('checks at once when no check ran lately, and joins a burst of jobs into one later check', async () => {
    vi.useFakeTimers();
    const errors: unknown[] = [];
    const completion = new RunCompletion({ minIntervalMs: 1000, onError: (_r, e) => errors.push(e) });
    const calls: string[] = [];
    await completion.check('run-a', async () => calls.push('job 1'));
    expect(calls).toEqual(['job 1']);

    // Three more jobs end within the interval: none checks now, the last one's check runs once later.
    await completion.check('run-a', async () => calls.push('job 2'));
    await completion.check('run-a', async () => calls.push('job 3'));
    await completion.check('run-a', async () => calls.push('job 4'));
    expect(calls).toEqual(['job 1']);
    await vi.advanceTimersByTimeAsync(1000);
    expect(calls).toEqual(['job 1', 'job 4']);

    // Another run is not held back by the first one's interval.
    await completion.check('run-b', async () => calls.push('run b'));
    expect(calls).toEqual(['job 1', 'job 4', 'run b']);
    expect(errors).toEqual([]);
  });

  it('makes a scheduled check when the workers close, so the last job of a run is never left unchecked', async () => {
    vi.useFakeTimers();
    const completion = new RunCompletion({ minIntervalMs: 60_000, onError: () => undefined });
    const calls: number[] = [];
    await completion.check('run-a', async () => calls.push(1));
    await completion.check('run-a', async () => calls.push(2));
    expect(calls).toEqual([1]);
    await completion.flush();
    expect(calls).toEqual([1, 2]);
    // Nothing left to run afterwards.
    await vi.advanceTimersByTimeAsync(60_000);
    expect(calls).toEqual([1, 2]);
  });

  it('waits longer after a costly check, and reports a failed scheduled check instead of throwing it away', async () => {
    vi.useFakeTimers();
    const errors: unknown[] = [];
    const completion = new RunCompletion({ minIntervalMs: 100, onError: (_r, e) => errors.push(e) });
    const calls: string[] = [];
    // This check takes 500 ms: the next may run only 5 s after it ended (ten times its cost).
    const slow = completion.check('run-a', async () => {
      calls.push('slow');
      await new Promise((r) => setTimeout(r, 500));
    });
    await vi.advanceTimersByTimeAsync(500);
    await slow;
    await completion.check('run-a', async () => {
      calls.push('failing');
      throw new Error('ledger busy');
    });
    await vi.advanceTimersByTimeAsync(4900);
    expect(calls).toEqual(['slow']);
    await vi.advanceTimersByTimeAsync(100);
    expect(calls).toEqual(['slow', 'failing']);
    expect(errors).toHaveLength(1);
    expect(String(errors[0])).toContain('ledger busy');
  });

  it('waits at most maxIntervalMs, however long a check took (one that rode out a ledger outage)', async () => {
    vi.useFakeTimers();
    const completion = new RunCompletion({ minIntervalMs: 100, maxIntervalMs: 2000, onError: () => {} });
    const calls: string[] = [];
    // A check that spent 60 s retrying: ten times that would be ten minutes.
    const outage = completion.check('run-a', async () => {
      calls.push('outage');
      await new Promise((r) => setTimeout(r, 60_000));
    });
    await vi.advanceTimersByTimeAsync(60_000);
    await outage;
    await completion.check('run-a', async () => {
      calls.push('after');
    });
    await vi.advanceTimersByTimeAsync(1999);
    expect(calls).toEqual(['outage']);
    await vi.advanceTimersByTimeAsync(1);
    expect(calls).toEqual(['outage', 'after']);
    vi.useRealTimers();
  });
});
