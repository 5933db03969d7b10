/**
 * beatForRuns (pipelines/run-heartbeat.ts), the one heartbeat of `licbridge run`, a repair and
 * `licbridge lifecycle run`: it keeps beating after a beat the ledger did not record (a run whose
 * beating stopped would be judged dead once the ledger is back), starts no beat once stopped, reads
 * the runs at each beat (a tick records its runs as it goes), and tells a failure without what a
 * driver's words may carry: a connection URL's password, a holder's ID number.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Logger } from '../../core/logger.js';
import type { Ledger } from '../../ledger/ledger.js';
import { beatForRuns } from '../../pipelines/run-heartbeat.js';
import { beatForRunR } from './heartbeat-fixtures.js';

afterEach(() => {
  vi.useRealTimers();
});

/** A ledger whose heartbeats and renewals answer as `answer` says, each call recorded. */
function fakeLedger(answer: { beat?: () => Promise<void>; renew?: () => Promise<boolean> } = {}) {
  const beats: string[][] = [];
  const renewals: string[] = [];
  const ledger = {
    heartbeatRuns: (runIds: readonly string[]) => {
      beats.push([...runIds]);
      return answer.beat ? answer.beat() : Promise.resolve();
    },
    pipelineLeases: {
      renew: (pipeline: string) => {
        renewals.push(pipeline);
        return answer.renew ? answer.renew() : Promise.resolve(true);
      },
    },
  } as unknown as Pick<Ledger, 'heartbeatRuns' | 'pipelineLeases'>;
  return { ledger, beats, renewals };
}

/** A logger that keeps each warning as its object and message. */
function warnings() {
  const lines: { obj: Record<string, unknown>; msg: string }[] = [];
  const logger = {
    warn: (obj: Record<string, unknown>, msg: string) => lines.push({ obj, msg }),
  } as unknown as Logger;
  return { lines, logger };
}

const say = { lost: 'run: another run took the pipeline over', failed: 'run: heartbeat not recorded' };

describe('beatForRuns', () => {
  it('beats for the runs, then renews their leases, every interval until stopped', async () => {
    vi.useFakeTimers();
    const runId = `run-${randomUUID()}`;
    const { ledger, beats, renewals } = fakeLedger();
    const { lines, logger } = warnings();
    const stop = beatForRuns(ledger, {
      owner: 'host 1',
      runs: () => [runId],
      leases: [{ pipeline: 'p', runId }],
      logger,
      say,
      everyMs: 2000,
    });
    await vi.advanceTimersByTimeAsync(6000);
    expect(beats).toEqual([[runId], [runId], [runId]]);
    expect(renewals).toEqual(['p', 'p', 'p']);
    stop();
    await vi.advanceTimersByTimeAsync(20_000);
    expect(beats).toHaveLength(3);
    expect(lines).toEqual([]);
  });

  it('starts no beat after the stop, when one was under way as it came', async () => {
    vi.useFakeTimers();
    let answer: (() => void) | undefined;
    const { ledger, beats, renewals } = fakeLedger({
      beat: () =>
        new Promise<void>((resolve) => {
          answer = resolve;
        }),
    });
    const stop = beatForRunR(ledger, warnings().logger, say);
    await vi.advanceTimersByTimeAsync(10_000);
    // One at a time: the beat waiting on the ledger holds the others back.
    expect(beats).toHaveLength(1);
    stop();
    answer?.();
    await vi.advanceTimersByTimeAsync(20_000);
    expect(beats).toHaveLength(1);
    // The beat under way renews no lease after the stop (run-heartbeat-after-stop.test.ts).
    expect(renewals).toEqual([]);
  });

  it('keeps beating after a beat the ledger did not record, and renews no lease for that beat', async () => {
    vi.useFakeTimers();
    let failures = 2;
    const { ledger, beats, renewals } = fakeLedger({
      beat: () => (failures-- > 0 ? Promise.reject(new Error('Connection terminated')) : Promise.resolve()),
    });
    const { lines, logger } = warnings();
    const stop = beatForRunR(ledger, logger, say);
    await vi.advanceTimersByTimeAsync(8000);
    stop();
    expect(beats).toHaveLength(4);
    expect(renewals).toEqual(['p', 'p']);
    expect(lines.map((l) => l.msg)).toEqual([say.failed, say.failed]);
  });

  it('reads the runs at each beat, and records nothing while there are none', async () => {
    vi.useFakeTimers();
    const runs: string[] = [];
    const { ledger, beats, renewals } = fakeLedger();
    const stop = beatForRuns(ledger, {
      owner: 'host 1',
      runs: () => runs,
      logger: warnings().logger,
      say: { failed: 'lifecycle: heartbeat not recorded' },
      everyMs: 2000,
    });
    await vi.advanceTimersByTimeAsync(2000);
    runs.push('tick-a');
    await vi.advanceTimersByTimeAsync(2000);
    stop();
    expect(beats).toEqual([[], ['tick-a']]);
    // No leases given (a tick's runs hold none): none renewed.
    expect(renewals).toEqual([]);
  });

  it('names each pipeline a run holds no more, with the bindings given', async () => {
    vi.useFakeTimers();
    const { ledger } = fakeLedger({ renew: () => Promise.resolve(false) });
    const { lines, logger } = warnings();
    const stop = beatForRunR(ledger, logger, say, {
      leases: [
        { pipeline: 'a', runId: 'r' },
        { pipeline: 'b', runId: 'r' },
      ],
      bindings: { runId: 'r' },
    });
    await vi.advanceTimersByTimeAsync(2000);
    stop();
    expect(lines).toEqual([
      { obj: { runId: 'r', pipeline: 'a' }, msg: say.lost },
      { obj: { runId: 'r', pipeline: 'b' }, msg: say.lost },
    ]);
  });

  it("tells a failed beat without a connection URL's password or an ID number from the driver's words", async () => {
    vi.useFakeTimers();
    const password = `Pw${randomBytes(9).toString('base64url')}`;
    // A made-up resident ID number: a driver may quote a row's key in its message.
    const id = '11010519491231002X';
    const { ledger } = fakeLedger({
      beat: () =>
        Promise.reject(
          new Error(`connect to postgres://lb:${password}@db.example:5432/ledger failed near key ${id}`),
        ),
    });
    const { lines, logger } = warnings();
    const stop = beatForRunR(ledger, logger, say, { leases: undefined, bindings: { pipeline: 'p' } });
    await vi.advanceTimersByTimeAsync(2000);
    stop();
    expect(lines).toHaveLength(1);
    const [line] = lines;
    expect(line?.msg).toBe(say.failed);
    expect(Object.keys(line?.obj ?? {}).sort()).toEqual(['error', 'pipeline']);
    const told = JSON.stringify(line);
    expect(told).toContain('postgres://***@db.example:5432/ledger');
    expect(told).not.toContain(password);
    expect(told).not.toContain(id);
  });
});
