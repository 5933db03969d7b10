// Waiting until a use case's own jobs have settled (pipelines/settle.ts): done ends the wait, a
// change of progress restarts the idle clock, a sweep re-enqueues without counting as progress,
// and a wait where nothing moves gives up.
import { describe, expect, it } from 'vitest';
import { waitUntilSettled } from '../../pipelines/settle.js';

describe('waitUntilSettled', () => {
  it('ends when a look says done', async () => {
    let looks = 0;
    const r = await waitUntilSettled(async () => ({ done: ++looks === 3, progress: String(looks) }), {
      idleTimeoutMs: 10_000,
      intervalMs: 1,
    });
    expect(r).toBe('settled');
    expect(looks).toBe(3);
  });

  it('gives up when nothing moves for the idle time, however often it looks', async () => {
    let looks = 0;
    const started = Date.now();
    const r = await waitUntilSettled(
      async () => {
        looks += 1;
        return { done: false, progress: 'same' };
      },
      {
        idleTimeoutMs: 60,
        intervalMs: 5,
      },
    );
    expect(r).toBe('idle');
    expect(Date.now() - started).toBeGreaterThanOrEqual(60);
    expect(looks).toBeGreaterThan(2);
  });

  it('keeps waiting while progress changes, and ends once it is done', async () => {
    let looks = 0;
    const started = Date.now();
    // Progress changes at every look for ~150 ms: an idle time of 40 ms never passes.
    const r = await waitUntilSettled(
      async () => ({ done: Date.now() - started > 150, progress: String(++looks) }),
      { idleTimeoutMs: 40, intervalMs: 5 },
    );
    expect(r).toBe('settled');
  });

  it('sweeps after the sweep time without progress; a sweep that adds jobs is no progress', async () => {
    let sweeps = 0;
    const r = await waitUntilSettled(async () => ({ done: sweeps >= 2, progress: 'same' }), {
      idleTimeoutMs: 10_000,
      sweepAfterMs: 20,
      intervalMs: 2,
      sweep: async () => {
        sweeps += 1;
        return 5;
      },
    });
    expect(r).toBe('settled');
    expect(sweeps).toBe(2);
    // Sweeping forever without progress still ends: at the idle time after the last sweep.
    let forever = 0;
    const idle = await waitUntilSettled(async () => ({ done: false, progress: 'same' }), {
      idleTimeoutMs: 80,
      sweepAfterMs: 10,
      intervalMs: 2,
      sweep: async () => {
        forever += 1;
        return 3;
      },
    });
    expect(idle).toBe('idle');
    expect(forever).toBeGreaterThan(1);
  });
});
