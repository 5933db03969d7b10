import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Ledger } from '../../ledger/ledger.js';
import { openLedger } from '../../ledger/open-ledger.js';
import { BACKENDS, quietLogger, type TestDatabase } from './backends.js';
import { uniqueName } from './fixtures.js';

describe.each(BACKENDS)('a run ends once ($name)', (backend) => {
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

  async function started(): Promise<string> {
    const runId = uniqueName('run');
    await ledger.startRun({ runId, pipeline: uniqueName('p'), mode: 'incremental' });
    return runId;
  }

  it('keeps a done run done when a late abandoned or failed comes', async () => {
    const runId = await started();
    const done = await ledger.finishRun(runId, { state: 'done' });
    expect(done).toMatchObject({ state: 'done', applied: true, error: null });

    const abandoned = await ledger.finishRun(runId, { state: 'abandoned', error: 'its process stopped' });
    expect(abandoned).toMatchObject({ state: 'done', applied: false, error: null });
    const failed = await ledger.finishRun(runId, { state: 'failed', error: 'extract: timeout' });
    expect(failed).toMatchObject({ state: 'done', applied: false, error: null });

    const stored = await ledger.getRun(runId);
    expect(stored).toMatchObject({ state: 'done', error: null });
    expect(stored?.finishedAt?.getTime()).toBe(done.finishedAt?.getTime());
  });

  it('keeps a failure or an abandonment recorded first when a late done comes', async () => {
    const failedRun = await started();
    expect(await ledger.finishRun(failedRun, { state: 'failed', error: 'source: gone' })).toMatchObject({
      state: 'failed',
      applied: true,
    });
    expect(await ledger.finishRun(failedRun, { state: 'done' })).toMatchObject({
      state: 'failed',
      applied: false,
      error: 'source: gone',
    });
    expect(await ledger.finishRun(failedRun, { state: 'abandoned', error: 'later' })).toMatchObject({
      state: 'failed',
      applied: false,
      error: 'source: gone',
    });

    const abandonedRun = await started();
    await ledger.finishRun(abandonedRun, { state: 'abandoned', error: 'its process stopped' });
    expect(await ledger.finishRun(abandonedRun, { state: 'done' })).toMatchObject({
      state: 'abandoned',
      applied: false,
    });
    expect((await ledger.getRun(abandonedRun))?.state).toBe('abandoned');
  });

  it('ends an abandoned run again once a process took it back up', async () => {
    const runId = await started();
    await ledger.finishRun(runId, { state: 'abandoned', error: 'its process stopped' });
    // A retried extract job driven by a live process takes the run over (startRun with an owner).
    await ledger.startRun({ runId, pipeline: 'p', mode: 'incremental', owner: 'host 1' });
    expect(await ledger.finishRun(runId, { state: 'done' })).toMatchObject({
      state: 'done',
      applied: true,
      error: null,
    });
  });
});
