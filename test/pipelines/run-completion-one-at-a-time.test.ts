/**
 * A run's completion check counts the whole run, so jobs of that run ending while one is under
 * way must join the next check, not start checks of their own beside it: on a large run each
 * delivery ending during a check of several seconds started another full count at once, the
 * O(run²) the interval exists to prevent. A job that joined is still checked after the check
 * under way (which may have counted before its delivery), and a flush makes that check too.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { RunCompletion } from '../../pipelines/stages/run-completion.js';

afterEach(() => {
  vi.useRealTimers();
});

/** A check that holds until released, counting the checks under way at once. */
function heldChecks() {
  const calls: string[] = [];
  const releases: (() => void)[] = [];
  let running = 0;
  let most = 0;
  const check = (name: string) => async () => {
    running += 1;
    most = Math.max(most, running);
    calls.push(name);
    await new Promise<void>((r) => releases.push(r));
    running -= 1;
  };
  return { calls, releases, check, most: () => most };
}

describe('run completion checks of one run', () => {
  it('runs one at a time: jobs ending while a check is under way join one check after it', async () => {
    vi.useFakeTimers();
    const completion = new RunCompletion({ minIntervalMs: 1000, onError: () => undefined });
    const held = heldChecks();
    const first = completion.check('run-a', held.check('job 1'));
    await vi.advanceTimersByTimeAsync(0);
    expect(held.calls).toEqual(['job 1']);
    // Three jobs end while the first check still counts: none checks beside it.
    const joined = [
      completion.check('run-a', held.check('job 2')),
      completion.check('run-a', held.check('job 3')),
      completion.check('run-a', held.check('job 4')),
    ];
    await vi.advanceTimersByTimeAsync(0);
    expect(held.calls).toEqual(['job 1']);
    held.releases.shift()?.();
    await first;
    await Promise.all(joined);
    // The last of them is checked once, an interval after the first check ended.
    await vi.advanceTimersByTimeAsync(1000);
    expect(held.calls).toEqual(['job 1', 'job 4']);
    held.releases.shift()?.();
    await vi.advanceTimersByTimeAsync(5000);
    expect(held.calls).toEqual(['job 1', 'job 4']);
    expect(held.most()).toBe(1);
  });

  it('a flush makes the check a job joined while one was under way', async () => {
    vi.useFakeTimers();
    const completion = new RunCompletion({ minIntervalMs: 60_000, onError: () => undefined });
    const held = heldChecks();
    void completion.check('run-a', held.check('job 1'));
    await vi.advanceTimersByTimeAsync(0);
    void completion.check('run-a', held.check('job 2'));
    let flushed = false;
    const flushing = completion.flush().then(() => {
      flushed = true;
    });
    held.releases.shift()?.();
    await vi.advanceTimersByTimeAsync(0);
    // The joined check is made at once by the flush, not an interval later.
    expect(held.calls).toEqual(['job 1', 'job 2']);
    expect(flushed).toBe(false);
    held.releases.shift()?.();
    await flushing;
    expect(held.most()).toBe(1);
  });
});
