/**
 * A beat under way when its heartbeat is stopped (beatForRuns, pipelines/run-heartbeat.ts): its
 * heartbeat waited on a slow ledger while `licbridge run` ended, stopped the heartbeat and let its
 * pipelines go (run-end.ts). The beat then renewed the leases all the same, found them let go, and
 * warned `run: another run took the pipeline over (this run renewed it too late)` of a run that
 * ended well, with no other run anywhere; a beat failing once the ledger was closed warned
 * `heartbeat not recorded`. Once stopped, a beat under way renews nothing and tells nothing.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Logger } from '../../core/logger.js';
import type { Ledger } from '../../ledger/ledger.js';
import { beatForRunR } from './heartbeat-fixtures.js';

afterEach(() => {
  vi.useRealTimers();
});

const say = {
  lost: 'run: another run took the pipeline over (this run renewed it too late)',
  failed: 'run: heartbeat not recorded',
};

/** A ledger whose heartbeat waits until `answer` is called, and whose leases were let go. */
function slowLedger() {
  let answer: ((error?: Error) => void) | undefined;
  const renewals: string[] = [];
  const ledger = {
    heartbeatRuns: () =>
      new Promise<void>((resolve, reject) => {
        answer = (error) => (error ? reject(error) : resolve());
      }),
    pipelineLeases: {
      // Let go by the run's end: the run holds the pipeline no more.
      renew: (pipeline: string) => {
        renewals.push(pipeline);
        return Promise.resolve(false);
      },
    },
  } as unknown as Pick<Ledger, 'heartbeatRuns' | 'pipelineLeases'>;
  return { ledger, renewals, answer: (error?: Error) => answer?.(error) };
}

function warnings() {
  const lines: string[] = [];
  const logger = { warn: (_obj: unknown, msg: string) => lines.push(msg) } as unknown as Logger;
  return { lines, logger };
}

describe('a beat under way when the heartbeat stops', () => {
  it('renews no lease once stopped, and warns of no takeover', async () => {
    vi.useFakeTimers();
    const { ledger, renewals, answer } = slowLedger();
    const { lines, logger } = warnings();
    const stop = beatForRunR(ledger, logger, say);
    await vi.advanceTimersByTimeAsync(2000);
    stop();
    answer();
    await vi.advanceTimersByTimeAsync(10_000);
    expect(renewals).toEqual([]);
    expect(lines).toEqual([]);
  });

  it('tells nothing of a heartbeat that fails after the stop', async () => {
    vi.useFakeTimers();
    const { ledger, answer } = slowLedger();
    const { lines, logger } = warnings();
    const stop = beatForRunR(ledger, logger, say, { leases: undefined });
    await vi.advanceTimersByTimeAsync(2000);
    stop();
    answer(new Error('aborted: the pool was destroyed'));
    await vi.advanceTimersByTimeAsync(10_000);
    expect(lines).toEqual([]);
  });

  it('still warns of a takeover and a failure heard before the stop', async () => {
    vi.useFakeTimers();
    const { ledger, answer } = slowLedger();
    const { lines, logger } = warnings();
    const stop = beatForRunR(ledger, logger, say);
    await vi.advanceTimersByTimeAsync(2000);
    answer();
    await vi.advanceTimersByTimeAsync(2000);
    answer(new Error('Connection terminated'));
    await vi.advanceTimersByTimeAsync(0);
    stop();
    expect(lines).toEqual([say.lost, say.failed]);
  });
});
