// Waiting until a use case's own jobs have settled (`licbridge lifecycle run`, a repair, `dlq
// replay`) while the ledger is away. A look whose ledger call failed after its whole retry budget
// (`ledger.retryBudgetMs`, 120 s by default, as long as the idle time) ended the wait with the
// ledger's error, though the workers go on and record their work once it is back; and the time a
// look spent retrying counted as time nothing moved. Now, as `licbridge run`'s polls
// (pipelines/run-poll.ts): the failed look is looked again, its time is left out of the idle
// time, and a ledger unreadable for the idle time after a look first found it so ends the wait.
//
// The clock is vitest's, as in settle.test.ts.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ErrorCodes, LicbridgeError } from '../../core/errors.js';
import { type SettleLook, type SettleOptions, waitUntilSettled } from '../../pipelines/settle.js';

beforeEach(() => {
  vi.useFakeTimers({ now: 1_000_000 });
});

afterEach(() => {
  vi.useRealTimers();
});

/** What a ledger call throws once its retry budget is spent on a database that does not answer. */
const away = () =>
  new LicbridgeError(ErrorCodes.LEDGER, 'ledger: unavailable after retries: connection refused', {
    retryable: true,
  });

/** A look that, from `from` ms to `to` ms after the start, waits out a `budgetMs` retry budget and fails. */
function lookWithOutage(
  from: number,
  to: number,
  budgetMs: number,
  seen: (elapsed: number) => SettleLook,
): () => Promise<SettleLook> {
  const started = Date.now();
  return async () => {
    const elapsed = Date.now() - started;
    if (elapsed >= from && elapsed < to) {
      await new Promise((r) => setTimeout(r, budgetMs));
      throw away();
    }
    return seen(elapsed);
  };
}

async function settle(
  look: () => Promise<SettleLook>,
  options: SettleOptions,
): Promise<{ result: 'settled' | 'idle' | Error; tookMs: number }> {
  const started = Date.now();
  const waiting = waitUntilSettled(look, options).catch((e: Error) => e);
  await vi.runAllTimersAsync();
  return { result: await waiting, tookMs: Date.now() - started };
}

describe('waitUntilSettled with the ledger away', () => {
  it('looks again after a look the ledger did not answer, and ends once the work is done', async () => {
    // The ledger is away from 20 ms to 60 ms; each failed look waited a 30 ms budget out.
    const look = lookWithOutage(20, 60, 30, (elapsed) => ({ done: elapsed > 100, progress: 'same' }));
    const { result } = await settle(look, { idleTimeoutMs: 200, intervalMs: 5 });
    expect(result).toBe('settled');
  });

  it('leaves the time looks spent failing out of the idle time', async () => {
    // Nothing moves; looks from 10 ms to 90 ms fail, each after 40 ms: about 80 ms not counted.
    const look = lookWithOutage(10, 90, 40, () => ({ done: false, progress: 'same' }));
    const { result, tookMs } = await settle(look, { idleTimeoutMs: 100, intervalMs: 5 });
    expect(result).toBe('idle');
    expect(tookMs).toBeGreaterThan(180);
    expect(tookMs).toBeLessThanOrEqual(200);
  });

  it('ends with the ledger error once it stayed unreadable for the idle time', async () => {
    const look = lookWithOutage(10, Number.POSITIVE_INFINITY, 30, () => ({ done: false, progress: 'same' }));
    const { result } = await settle(look, { idleTimeoutMs: 100, intervalMs: 5 });
    expect(result).toBeInstanceOf(LicbridgeError);
    expect((result as LicbridgeError).code).toBe(ErrorCodes.LEDGER);
  });

  it('a sweep the ledger did not answer: looked again, its time left out of the idle time', async () => {
    // Nothing moves until the work is done at 130 ms; the first sweep (due 20 ms after the last
    // progress) waits out a 60 ms budget and fails. Ending the wait then lost the workers' work,
    // and counting its 60 ms gave up at 100 ms, before the work was done.
    let sweeps = 0;
    const started = Date.now();
    const { result } = await settle(async () => ({ done: Date.now() - started > 130, progress: 'same' }), {
      idleTimeoutMs: 100,
      intervalMs: 5,
      sweepAfterMs: 20,
      sweep: async () => {
        sweeps += 1;
        if (sweeps > 1) return 0;
        await new Promise((r) => setTimeout(r, 60));
        throw away();
      },
    });
    expect(result).toBe('settled');
    expect(sweeps).toBeGreaterThan(1);
  });

  it('fails at once on an error no retry changes', async () => {
    let looks = 0;
    const { result } = await settle(
      async () => {
        looks += 1;
        throw new LicbridgeError(ErrorCodes.LEDGER, 'ledger: relation "runs" does not exist');
      },
      { idleTimeoutMs: 100, intervalMs: 5 },
    );
    expect(result).toBeInstanceOf(LicbridgeError);
    expect(looks).toBe(1);
  });
});
