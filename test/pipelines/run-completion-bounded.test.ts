import { afterEach, describe, expect, it, vi } from 'vitest';
import { RunCompletion } from '../../pipelines/stages/run-completion.js';

afterEach(() => {
  vi.useRealTimers();
});

describe('run completion in a long-lived worker', () => {
  it('forgets the runs whose checks are over, however many runs it has seen', async () => {
    vi.useFakeTimers();
    const completion = new RunCompletion({ minIntervalMs: 1000, onError: () => undefined });
    let checks = 0;
    // A run every few minutes for weeks: 10,000 runs, each checked once by its last job.
    for (let i = 0; i < 10_000; i++) {
      await completion.check(`scheduled-${i}`, async () => {
        checks += 1;
      });
      await vi.advanceTimersByTimeAsync(2000);
    }
    expect(checks).toBe(10_000);
    expect(completion.size).toBeLessThanOrEqual(128);
  });

  it('keeps what still matters: a pending check, and a run checked within its interval', async () => {
    vi.useFakeTimers();
    const completion = new RunCompletion({ minIntervalMs: 60_000, onError: () => undefined });
    const calls: string[] = [];
    await completion.check('busy-run', async () => calls.push('busy 1'));
    await completion.check('busy-run', async () => calls.push('busy 2'));
    await completion.check('recent-run', async () => calls.push('recent 1'));
    // Many runs end while those wait; their entries are swept, these two are not.
    for (let i = 0; i < 1000; i++) {
      await completion.check(`other-${i}`, async () => undefined);
      await vi.advanceTimersByTimeAsync(10);
    }
    // The recent run is still inside its interval: a new job's check waits for it, as before.
    await completion.check('recent-run', async () => calls.push('recent 2'));
    expect(calls).toEqual(['busy 1', 'recent 1']);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(calls).toEqual(['busy 1', 'recent 1', 'busy 2', 'recent 2']);
  });
});
