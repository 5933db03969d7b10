/**
 * A run given up (`licbridge run`'s idle timeout, a repair giving up) ends `failed` while it still
 * extracts and `abandoned` once its extraction is over. That was decided on a read of the run and
 * written in a separate step: an extract job (a `licbridge worker`'s, a repair's re-read) marking
 * the run extracted in between left it `failed` with all its licenses in the ledger, failed for
 * good after they were delivered. The ledger now judges the extraction as it ends the run, on
 * both backends.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Ledger } from '../../ledger/ledger.js';
import { openLedger } from '../../ledger/open-ledger.js';
import { endGivenUp } from '../../pipelines/run-given-up.js';
import { BACKENDS, quietLogger, type TestDatabase } from '../ledger/backends.js';
import { uniqueName } from '../ledger/fixtures.js';

const ERROR = 'run: nothing moved for 120 s; see `licbridge status` and the worker logs';

/** The ledger, its extract job marking the run extracted right after each read of it. */
function extractedAfterRead(ledger: Ledger): Ledger {
  return new Proxy(ledger, {
    get(target, key, receiver) {
      if (key === 'getRun')
        return async (runId: string) => {
          const run = await target.getRun(runId);
          await target.markExtracted(runId);
          return run;
        };
      const value = Reflect.get(target, key, receiver);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

describe.each(BACKENDS)('a run given up as its extraction ends ($name)', (backend) => {
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

  it('ends abandoned when it was marked extracted after it was read', async () => {
    const runId = uniqueName('run');
    await ledger.startRun({ runId, pipeline: uniqueName('p'), mode: 'full' });

    await endGivenUp(extractedAfterRead(ledger), [{ runId }], ERROR);

    const run = await ledger.getRun(runId);
    expect(run?.state).toBe('abandoned');
    expect(run?.error).toContain('its extraction was complete');
    expect(run?.error).toContain(ERROR);
  });

  it('still fails a run that was not extracted, and leaves one ended as it is', async () => {
    const pipeline = uniqueName('p');
    const [extracting, done] = [uniqueName('run'), uniqueName('run')];
    for (const runId of [extracting, done]) await ledger.startRun({ runId, pipeline, mode: 'full' });
    await ledger.markExtracted(done);
    await ledger.finishRun(done, { state: 'done' });

    await endGivenUp(ledger, [{ runId: extracting }, { runId: done }], ERROR);

    expect(await ledger.getRun(extracting)).toMatchObject({ state: 'failed', error: ERROR });
    expect(await ledger.getRun(done)).toMatchObject({ state: 'done', error: null });
  });
});
