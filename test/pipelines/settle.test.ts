// Waiting until a use case's own jobs have settled (pipelines/settle.ts): done ends the wait, a
// change of progress restarts the idle clock, a sweep re-enqueues without counting as progress,
// and a wait where nothing moves gives up.
//
// The clock is vitest's: each pause between looks lasts exactly `intervalMs` of it, so the number
// of looks and sweeps does not hang on how busy the machine is. On the real clock a loaded machine
// could sleep one 5 ms pause past the whole 60 ms idle time, and the wait gave up after two looks.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { type SettleLook, type SettleOptions, waitUntilSettled } from '../../pipelines/settle.js';

beforeEach(() => {
  vi.useFakeTimers({ now: 1_000_000 });
});

afterEach(() => {
  vi.useRealTimers();
});

/** The wait, with the fake clock run until it ends; and how long it took on that clock. */
async function settle(
  look: () => Promise<SettleLook>,
  options: SettleOptions,
): Promise<{ result: 'settled' | 'idle'; tookMs: number }> {
  const started = Date.now();
  const waiting = waitUntilSettled(look, options);
  await vi.runAllTimersAsync();
  return { result: await waiting, tookMs: Date.now() - started };
}

describe('waitUntilSettled', () => {
  it('ends when a look says done', async () => {
    let looks = 0;
    const { result } = await settle(async () => ({ done: ++looks === 3, progress: String(looks) }), {
      idleTimeoutMs: 10_000,
      intervalMs: 1,
    });
    expect(result).toBe('settled');
    expect(looks).toBe(3);
  });

  it('gives up when nothing moves for the idle time, however often it looks', async () => {
    let looks = 0;
    const { result, tookMs } = await settle(
      async () => {
        looks += 1;
        return { done: false, progress: 'same' };
      },
      { idleTimeoutMs: 60, intervalMs: 5 },
    );
    expect(result).toBe('idle');
    // It gives up at the first look past the idle time: not before it, nor a look later.
    expect(tookMs).toBeGreaterThan(60);
    expect(tookMs).toBeLessThanOrEqual(65);
    expect(looks).toBe(tookMs / 5 + 1);
  });

  it('keeps waiting while progress changes, and ends once it is done', async () => {
    let looks = 0;
    const started = Date.now();
    // Progress changes at every look for 150 ms: an idle time of 40 ms never passes.
    const { result, tookMs } = await settle(
      async () => ({ done: Date.now() - started > 150, progress: String(++looks) }),
      { idleTimeoutMs: 40, intervalMs: 5 },
    );
    expect(result).toBe('settled');
    expect(tookMs).toBeGreaterThan(150);
  });

  it('gives up once progress stops, the idle time after the last change', async () => {
    const started = Date.now();
    // Progress moves for 100 ms, then stands still.
    const { result, tookMs } = await settle(
      async () => ({ done: false, progress: String(Math.min(100, Date.now() - started)) }),
      { idleTimeoutMs: 40, intervalMs: 5 },
    );
    expect(result).toBe('idle');
    expect(tookMs).toBeGreaterThan(140);
    expect(tookMs).toBeLessThanOrEqual(145);
  });

  it('sweeps after the sweep time without progress; a sweep that adds jobs is no progress', async () => {
    let sweeps = 0;
    const first = await settle(async () => ({ done: sweeps >= 2, progress: 'same' }), {
      idleTimeoutMs: 10_000,
      sweepAfterMs: 20,
      intervalMs: 2,
      sweep: async () => {
        sweeps += 1;
        return 5;
      },
    });
    expect(first.result).toBe('settled');
    expect(sweeps).toBe(2);
    // One sweep per sweep time: the second waited for the first's to pass.
    expect(first.tookMs).toBeGreaterThan(40);
    // Sweeping forever without progress still ends: at the idle time after the start.
    let forever = 0;
    const idle = await settle(async () => ({ done: false, progress: 'same' }), {
      idleTimeoutMs: 80,
      sweepAfterMs: 10,
      intervalMs: 2,
      sweep: async () => {
        forever += 1;
        return 3;
      },
    });
    expect(idle.result).toBe('idle');
    expect(idle.tookMs).toBeGreaterThan(80);
    expect(idle.tookMs).toBeLessThanOrEqual(90);
    // A sweep about every sweep time (each a look later than the last one's time passed).
    expect(forever).toBeGreaterThanOrEqual(6);
    expect(forever).toBeLessThanOrEqual(8);
  });
});
