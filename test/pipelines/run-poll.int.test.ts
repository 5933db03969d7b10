/**
 * `licbridge run` looks at each run about once a second. A look the ledger cannot answer (away for
 * its whole retry budget, or a pool that handed over no connection in time) is a warning: the
 * workers go on, and the next look counts what they did. It failed the run.
 */
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../core/logger.js';
import type { Ledger } from '../../ledger/ledger.js';
import { openLedger } from '../../ledger/open-ledger.js';
import { pollRun } from '../../pipelines/run-poll.js';
import { quietLogger, sqliteBackend, type TestDatabase } from '../ledger/backends.js';

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
    // Its connections gone, every call of this ledger fails.
    await ledger.close();
    await expect(pollRun(ledger, run, 'seal', ['province'], log)).resolves.toBeUndefined();
    const warned = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(warned).toEqual([
      expect.objectContaining({
        level: 40,
        msg: 'run: progress not read; the next poll reads it again',
        pipeline: run.pipeline,
        runId: run.runId,
      }),
    ]);
    expect(String(warned[0]?.error)).toMatch(/ledger: (getRun|runProgress) failed/);
  });
});
