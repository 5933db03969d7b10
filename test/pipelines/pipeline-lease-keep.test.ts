/**
 * A scheduled run's extract job renews its pipeline's lease every 2 s (pipelines/pipeline-lease.ts)
 * one renewal at a time: during a ledger outage a renewal waits in its retries (up to
 * `ledger.retryBudgetMs`, 120 s by default), and more piled behind it would all run at once, each
 * taking a connection of the pool, once the database is back. Before, one began every 2 s however
 * long the last one waited: 60 of them over a 2-minute outage.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Ledger } from '../../ledger/ledger.js';
import { keepPipeline } from '../../pipelines/pipeline-lease.js';

afterEach(() => {
  vi.useRealTimers();
});

describe('keepPipeline', () => {
  it('starts no renewal while the last one still waits, and renews again once it ended', async () => {
    vi.useFakeTimers();
    let calls = 0;
    let answer: ((renewed: boolean) => void) | undefined;
    const leases = {
      renew: () => {
        calls += 1;
        return new Promise<boolean>((resolve) => {
          answer = resolve;
        });
      },
    };
    const ledger = { pipelineLeases: leases } as unknown as Pick<Ledger, 'pipelineLeases'>;
    const lost = vi.fn();
    const stop = keepPipeline(ledger, { pipeline: 'p', runId: 'r' }, { lost, failed: vi.fn() }, 2000);
    await vi.advanceTimersByTimeAsync(20_000);
    expect(calls).toBe(1);
    answer?.(false);
    await vi.advanceTimersByTimeAsync(2000);
    expect(lost).toHaveBeenCalledTimes(1);
    expect(calls).toBe(2);
    stop();
    answer?.(true);
    await vi.advanceTimersByTimeAsync(10_000);
    expect(calls).toBe(2);
  });
});
