/**
 * `licbridge run` looks at each run about once a second. A look the ledger cannot answer (away for
 * its whole retry budget, or a pool that handed over no connection in time) is a warning: the
 * workers go on, and the next look counts what they did. It failed the run.
 */
import { Writable } from 'node:stream';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { loadConfig } from '../../config/loader.js';
import { ErrorCodes, LicbridgeError } from '../../core/errors.js';
import { createLogger } from '../../core/logger.js';
import { KnexLedger } from '../../ledger/knex-ledger.js';
import type { Ledger } from '../../ledger/ledger.js';
import { openLedger } from '../../ledger/open-ledger.js';
import { wrapLedgerError } from '../../ledger/sql-errors.js';
import { runPipelines } from '../../pipelines/run-pipelines.js';
import { pollRun } from '../../pipelines/run-poll.js';
import { quietLogger, sqliteBackend, type TestDatabase } from '../ledger/backends.js';
import { createDemoWorkspace } from '../support/demo-workspace.js';

describe('a run’s progress poll', () => {
  let database: TestDatabase;
  let ledger: Ledger;
  const run = { pipeline: 'food-business-licenses', runId: 'run-poll-1' };

  beforeAll(async () => {
    database = await sqliteBackend.create();
    ledger = await openLedger(database.url, { logger: quietLogger, retryBudgetMs: 0 });
    await ledger.startRun({ ...run, mode: 'incremental' });
  });

  afterAll(async () => {
    await ledger?.close();
    await database?.dispose();
  });

  it('reads the run and its progress', async () => {
    const polled = await pollRun(ledger, run, 'seal', ['province'], quietLogger);
    expect(polled?.run.state).toBe('running');
    expect(polled?.progress).toMatchObject({ created: 0, signed: 0, delivered: { province: 0 } });
  });

  it('is a warning, not a failure, when the ledger cannot answer', async () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk, _enc, done) {
        lines.push(...chunk.toString().split('\n').filter(Boolean));
        done();
      },
    });
    const log = createLogger({ level: 'warn', destination: sink });
    // The database refused connections for the whole retry budget.
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
    const spy = vi
      .spyOn(ledger, 'runProgress')
      .mockRejectedValueOnce(wrapLedgerError('runProgress', refused));
    try {
      await expect(pollRun(ledger, run, 'seal', ['province'], log)).resolves.toBeUndefined();
    } finally {
      spy.mockRestore();
    }
    const warned = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(warned).toEqual([
      expect.objectContaining({
        level: 40,
        msg: 'run: progress not read; the next poll reads it again',
        pipeline: run.pipeline,
        runId: run.runId,
      }),
    ]);
    expect(String(warned[0]?.error)).toMatch(/ledger: runProgress failed: ECONNREFUSED/);
  });

  it('fails as before when the ledger refuses the call for good, not only for a while', async () => {
    // Its connections gone, every call of this ledger fails, and no retry would change that.
    await ledger.close();
    await expect(pollRun(ledger, run, 'seal', ['province'], quietLogger)).rejects.toThrow(
      /ledger: (getRun|runProgress) failed: Unable to acquire a connection/,
    );
  });
});

/**
 * The run loop around the poll. A poll that failed waited out the ledger's retry budget, as long
 * as the run's idle timeout by default: counted as time nothing moved, the run gave up at once
 * (`nothing moved`) after the warning, its work going well.
 */
describe('licbridge run while its polls cannot read the ledger', () => {
  const PIPELINE = 'food-business-licenses';
  const unavailable = () =>
    new LicbridgeError(ErrorCodes.LEDGER, 'ledger: runProgress failed: Timeout acquiring a connection', {
      retryable: true,
    });

  afterEach(() => {
    vi.restoreAllMocks();
  });

  /** Polls of runProgress (only `run`'s poll calls it) answered by `answer`, the nth of them. */
  function pollsAnswered(
    answer: (nth: number, real: () => ReturnType<KnexLedger['runProgress']>) => unknown,
  ) {
    const real = KnexLedger.prototype.runProgress;
    let calls = 0;
    vi.spyOn(KnexLedger.prototype, 'runProgress').mockImplementation(function (this: KnexLedger, ...args) {
      calls += 1;
      return answer(calls, () => real.apply(this, args)) as ReturnType<KnexLedger['runProgress']>;
    });
  }

  it('goes on after a poll that failed once the idle timeout had passed, and ends done', async () => {
    const ws = await createDemoWorkspace({ rows: 20 });
    try {
      const config = await loadConfig({ file: ws.configFile, env: {} });
      const idleTimeoutMs = 2000;
      pollsAnswered(async (nth, real) => {
        if (nth !== 2) return real();
        // As a poll that waited out the retry budget: longer than the idle timeout.
        await new Promise((r) => setTimeout(r, idleTimeoutMs + 500));
        throw unavailable();
      });
      const [summary] = await runPipelines(config, {
        pipelines: [PIPELINE],
        full: false,
        logger: quietLogger,
        idleTimeoutMs,
        // Shorter than the failed poll, as by default (3 s against 120 s): the run may give up then.
        sweepAfterMs: 500,
        // The next poll half a second after the failed one, not the 5 s a poll that slow earns by
        // default: the run has then still to go on, whatever its workers did meanwhile.
        pollPauseMaxMs: 500,
      });
      expect(summary).toMatchObject({ state: 'done', created: 20, signed: 20, delivered: { province: 20 } });
    } finally {
      await ws.cleanup();
    }
  }, 30_000);

  it('ends when nothing moves for the idle timeout, though the ledger fails every other poll', async () => {
    const ws = await createDemoWorkspace({ rows: 5 });
    try {
      const config = await loadConfig({ file: ws.configFile, env: {} });
      // No worker takes the run's extract job: nothing moves. A read between two failed polls
      // started the idle clock again, and the run polled on for ever.
      const cap = 100;
      pollsAnswered(async (nth, real) => {
        if (nth > cap) throw new Error(`test: still polling after ${cap} polls`);
        if (nth % 2 === 0) throw unavailable();
        return real();
      });
      await expect(
        runPipelines(config, {
          pipelines: [PIPELINE],
          full: false,
          logger: quietLogger,
          workInProcess: false,
          idleTimeoutMs: 1000,
          sweepAfterMs: 300,
        }),
      ).rejects.toThrow(/run: nothing moved for 1 s/);
    } finally {
      await ws.cleanup();
    }
  }, 60_000);

  it('ends failed, naming the ledger, when no poll reads it for the idle timeout', async () => {
    const ws = await createDemoWorkspace({ rows: 5 });
    try {
      const config = await loadConfig({ file: ws.configFile, env: {} });
      pollsAnswered(async () => {
        throw unavailable();
      });
      await expect(
        runPipelines(config, {
          pipelines: [PIPELINE],
          full: false,
          logger: quietLogger,
          idleTimeoutMs: 1000,
        }),
      ).rejects.toThrow(/run: the ledger did not answer for \d+ s/);
      const ledger = await openLedger(config.ledger.url, { logger: quietLogger });
      try {
        expect(await ledger.runningRuns()).toEqual([]);
      } finally {
        await ledger.close();
      }
    } finally {
      await ws.cleanup();
    }
  }, 30_000);
});
