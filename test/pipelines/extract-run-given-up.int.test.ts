/**
 * `licbridge run` giving up (nothing moved for its idle timeout, a lost Redis) marked every run it
 * drove `failed`, also one whose extraction was over: its licenses were all in the ledger, and the
 * next run signed and delivered them, but the run stayed failed. It is now `abandoned`, its error
 * saying the extraction was complete; a run still extracting is `failed` as before.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Ledger } from '../../ledger/ledger.js';
import { openLedger } from '../../ledger/open-ledger.js';
import { endGivenUp } from '../../pipelines/run-given-up.js';
import { quietLogger, sqliteBackend, type TestDatabase } from '../ledger/backends.js';
import { uniqueName } from '../ledger/fixtures.js';

describe('the runs of a licbridge run that gives up', () => {
  let database: TestDatabase;
  let ledger: Ledger;

  beforeAll(async () => {
    database = await sqliteBackend.create();
    ledger = await openLedger(database.url, { logger: quietLogger });
  });

  afterAll(async () => {
    await ledger?.close();
    await database?.dispose();
  });

  it('leaves an extracted run abandoned for the next run to finish, and fails one still extracting', async () => {
    const pipeline = uniqueName('p');
    const [extracted, extracting, done] = [uniqueName('run'), uniqueName('run'), uniqueName('run')];
    for (const runId of [extracted, extracting, done])
      await ledger.startRun({ runId, pipeline, mode: 'full' });
    await ledger.markExtracted(extracted);
    await ledger.finishRun(done, { state: 'done' });

    const error = 'run: nothing moved for 120 s; see `licbridge status` and the worker logs';
    await endGivenUp(ledger, [{ runId: extracted }, { runId: extracting }, { runId: done }], error);

    const after = await ledger.getRun(extracted);
    expect(after?.state).toBe('abandoned');
    expect(after?.error).toContain('its extraction was complete');
    expect(after?.error).toContain(error);
    expect(await ledger.getRun(extracting)).toMatchObject({ state: 'failed', error });
    expect((await ledger.getRun(done))?.state).toBe('done');
  });
});
