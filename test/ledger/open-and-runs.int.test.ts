import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { encodeKeyPosition } from '../../connectors/key-position.js';
import { isLicbridgeError } from '../../core/errors.js';
import type { Ledger } from '../../ledger/ledger.js';
import { openLedger } from '../../ledger/open-ledger.js';
import { BACKENDS, quietLogger, type TestDatabase } from './backends.js';
import { candidate, uniqueName } from './fixtures.js';

describe.each(BACKENDS)('ledger open, migrate and runs ($name)', (backend) => {
  let database: TestDatabase;
  let ledger: Ledger;

  beforeAll(async () => {
    database = await backend.create();
    ledger = await openLedger(database.url, { logger: quietLogger });
  });

  afterAll(async () => {
    await ledger?.close();
    await database?.dispose();
  });

  it('migrates idempotently: again on the same ledger, and on a second open of the same database', async () => {
    const pipeline = uniqueName('p');
    const runId = uniqueName('run');
    await ledger.startRun({ runId, pipeline, mode: 'full' });
    await ledger.commitPage({
      pipeline,
      runId,
      checkpoint: encodeKeyPosition({ cursor: null, key: '1' }),
      rowsRead: 1,
      candidates: [candidate({ n: 1, pipeline })],
      quarantined: [],
    });

    await ledger.migrate();
    await ledger.migrate();
    const second = await openLedger(database.url, { logger: quietLogger });
    try {
      await second.migrate();
      // Data written before survives, and the reopened ledger sees it.
      expect(await second.runVersionIds(runId)).toHaveLength(1);
      expect(await second.getCheckpoint(pipeline)).toEqual(encodeKeyPosition({ cursor: null, key: '1' }));
    } finally {
      await second.close();
    }
  });

  it('records a run from start to finish and finds the last one per pipeline', async () => {
    const pipeline = uniqueName('p');
    const first = uniqueName('run');
    await ledger.startRun({ runId: first, pipeline, mode: 'full' });
    // A retried start job leaves the run as it is.
    await ledger.startRun({ runId: first, pipeline, mode: 'full' });
    const started = await ledger.getRun(first);
    expect(started).toMatchObject({
      runId: first,
      pipeline,
      mode: 'full',
      state: 'running',
      read: 0,
      error: null,
    });
    expect(started?.startedAt).toBeInstanceOf(Date);
    expect(started?.finishedAt).toBeNull();

    const failed = await ledger.finishRun(first, { state: 'failed', error: 'source: query failed: timeout' });
    expect(failed).toMatchObject({ state: 'failed', error: 'source: query failed: timeout' });
    expect(failed.finishedAt).toBeInstanceOf(Date);
    expect(failed.finishedAt!.getTime()).toBeGreaterThanOrEqual(failed.startedAt.getTime());

    // The second run starts a second after the first ended, on a fake clock instead of a sleep:
    // with equal timestamps lastRun falls back to run-id order, which is random here.
    const second = uniqueName('run');
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(failed.finishedAt!.getTime() + 1000);
    let done: Awaited<ReturnType<Ledger['finishRun']>>;
    try {
      await ledger.startRun({ runId: second, pipeline, mode: 'incremental' });
      done = await ledger.finishRun(second, { state: 'done' });
    } finally {
      vi.useRealTimers();
    }
    expect(done).toMatchObject({ runId: second, state: 'done', mode: 'incremental', error: null });

    expect((await ledger.lastRun(pipeline))?.runId).toBe(second);
    expect(await ledger.lastRun(uniqueName('none'))).toBeNull();
    expect(await ledger.getRun('no-such-run')).toBeNull();
  });

  it('refuses to finish a run that was never started', async () => {
    const error = await ledger.finishRun('no-such-run', { state: 'done' }).catch((e: unknown) => e);
    expect(isLicbridgeError(error) && error.code).toBe('LB_LEDGER');
  });

  it('keeps payload values out of error messages, also in the cause', async () => {
    const pipeline = uniqueName('p');
    const runId = uniqueName('run');
    await ledger.startRun({ runId, pipeline, mode: 'full' });
    const a = candidate({ n: 1, pipeline });
    const b = candidate({ n: 2, pipeline });
    // Two licenses claiming one identifier: the unique index refuses the second.
    b.build = (version) => ({
      ...candidate({ n: 2, pipeline }).build(version),
      identifier: a.build(1).identifier,
    });
    const error = await ledger
      .commitPage({
        pipeline,
        runId,
        checkpoint: encodeKeyPosition({ cursor: null, key: '2' }),
        rowsRead: 2,
        candidates: [a, b],
        quarantined: [],
      })
      .catch((e: unknown) => e);
    expect(isLicbridgeError(error) && error.code).toBe('LB_LEDGER');
    const err = error as Error;
    expect(err.message).toMatch(/commitPage failed/);
    const cause = err.cause as Error | undefined;
    for (const text of [err.message, String(cause?.message), String(cause?.stack)]) {
      expect(text).not.toContain('经营者');
      expect(text).not.toContain('91370211MA3C000000');
    }
    expect(await ledger.runVersionIds(runId)).toEqual([]);
  });
});

describe('openLedger URLs', () => {
  it('rejects an unknown scheme without echoing the rest of the URL', async () => {
    const error = await openLedger('mysql://admin:s3cret@db/ledger', { logger: quietLogger }).catch(
      (e: unknown) => e,
    );
    expect(isLicbridgeError(error) && error.code).toBe('LB_LEDGER');
    expect((error as Error).message).toContain('`mysql:`');
    expect((error as Error).message).not.toContain('s3cret');
  });

  it('rejects a schema name that is not a plain identifier', async () => {
    const error = await openLedger('postgres://postgres@127.0.0.1:5432/test?schema=a;drop', {
      logger: quietLogger,
    }).catch((e: unknown) => e);
    expect(isLicbridgeError(error) && error.code).toBe('LB_LEDGER');
  });

  it('opens an in-memory SQLite ledger', async () => {
    const ledger = await openLedger('sqlite://:memory:', { logger: quietLogger });
    try {
      await ledger.startRun({ runId: 'r', pipeline: 'p', mode: 'full' });
      expect((await ledger.getRun('r'))?.state).toBe('running');
    } finally {
      await ledger.close();
    }
  });

  it('marks an unreachable PostgreSQL as a retryable ledger error', async () => {
    const error = await openLedger('postgres://postgres@127.0.0.1:1/test', { logger: quietLogger }).catch(
      (e: unknown) => e,
    );
    expect(isLicbridgeError(error) && error.code).toBe('LB_LEDGER');
    expect(isLicbridgeError(error) && error.retryable).toBe(true);
  });
});
