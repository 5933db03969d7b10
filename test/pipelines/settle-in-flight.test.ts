// A wait of a use case's own jobs (pipelines/settle.ts) and a job a live worker still works: one
// slow request (a platform answering in 300 s, within its `timeoutMs` of 600 s) shows no progress
// until it is answered, and the wait must not give up on it (pipelines/idle-rule.ts). Once nothing
// is worked and nothing moves for the idle time, it gives up as before.
//
// The clock is vitest's, as in settle.test.ts: the 300 s and 120 s pass in no real time.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { type SettleLook, type SettleOptions, waitUntilSettled } from '../../pipelines/settle.js';

beforeEach(() => {
  vi.useFakeTimers({ now: 1_000_000 });
});

afterEach(() => {
  vi.useRealTimers();
});

async function settle(
  look: () => Promise<SettleLook>,
  options: SettleOptions,
): Promise<{ result: 'settled' | 'idle'; tookMs: number }> {
  const started = Date.now();
  const waiting = waitUntilSettled(look, options);
  await vi.runAllTimersAsync();
  return { result: await waiting, tookMs: Date.now() - started };
}

describe('waitUntilSettled with a job in flight', () => {
  it('waits out a request longer than the idle time while a worker holds its job, and settles', async () => {
    const started = Date.now();
    const answeredAt = started + 300_000;
    const { result, tookMs } = await settle(
      // The delivery is final once the platform answered; until then nothing moves.
      async () => ({ done: Date.now() >= answeredAt, progress: '' }),
      {
        idleTimeoutMs: 120_000,
        intervalMs: 1000,
        inFlight: async () => Date.now() < answeredAt,
      },
    );
    expect(result).toBe('settled');
    expect(tookMs).toBeGreaterThanOrEqual(300_000);
  });

  it('gives up once the job is no longer worked and nothing moves for the idle time', async () => {
    const started = Date.now();
    // The worker died 200 s in (its lock ran out): the job is not worked any more.
    const { result, tookMs } = await settle(async () => ({ done: false, progress: '' }), {
      idleTimeoutMs: 120_000,
      intervalMs: 1000,
      inFlight: async () => Date.now() < started + 200_000,
    });
    expect(result).toBe('idle');
    // Idle counted from the last look that saw the job worked, not from the start.
    expect(tookMs).toBeGreaterThan(200_000 + 120_000 - 1000);
    expect(tookMs).toBeLessThanOrEqual(200_000 + 120_000 + 2000);
  });

  it('gives up after the idle time when nothing is in flight', async () => {
    const { result, tookMs } = await settle(async () => ({ done: false, progress: '' }), {
      idleTimeoutMs: 120_000,
      intervalMs: 1000,
      inFlight: async () => false,
    });
    expect(result).toBe('idle');
    expect(tookMs).toBeLessThanOrEqual(122_000);
  });

  it('gives up when the queues do not say whether a job is worked (Redis away)', async () => {
    const { result, tookMs } = await settle(async () => ({ done: false, progress: '' }), {
      idleTimeoutMs: 120_000,
      intervalMs: 1000,
      inFlight: () => new Promise<boolean>(() => {}),
    });
    expect(result).toBe('idle');
    // One look at the queues, bounded (IN_FLIGHT_LOOK_MS).
    expect(tookMs).toBeLessThanOrEqual(130_000);
  });
});
