/**
 * `licbridge run` giving up (nothing moved for its idle timeout, a lost Redis) marked every run it
 * drove `failed`, also one whose extraction was over: its licenses were all in the ledger, and the
 * next run signed and delivered them, but the run stayed failed. It is now `abandoned`, its error
 * saying the extraction was complete; a run still extracting is `failed` as before. A ledger
 * that is away is asked once: each run's call waited out a retry budget of its own.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { ErrorCodes, LicbridgeError } from '../../core/errors.js';
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

  afterEach(() => {
    vi.restoreAllMocks();
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

  it('keeps no ID or mobile number the error quotes', async () => {
    const pipeline = uniqueName('p');
    const [extracted, extracting] = [uniqueName('run'), uniqueName('run')];
    for (const runId of [extracted, extracting]) await ledger.startRun({ runId, pipeline, mode: 'full' });
    await ledger.markExtracted(extracted);
    const error = 'source s: not reachable: no row after key 11010519491231002X (contact 13912345678)';
    await endGivenUp(ledger, [{ runId: extracted }, { runId: extracting }], error);
    for (const runId of [extracted, extracting]) {
      const stored = (await ledger.getRun(runId))?.error ?? '';
      // The ID number keeps its last four only, as status shows a source's error.
      expect(stored).toContain('no row after key **************002X (contact *******5678)');
      expect(stored).not.toMatch(/1101|19491231|1391234/);
    }
  });

  it('asks a ledger that is away once, not once per run', async () => {
    const pipeline = uniqueName('p');
    const ids = [uniqueName('run'), uniqueName('run'), uniqueName('run')];
    for (const runId of ids) await ledger.startRun({ runId, pipeline, mode: 'full' });
    // Each call, as a ledger away for its whole retry budget (two minutes by default) answers.
    const getRun = vi.spyOn(ledger, 'getRun').mockRejectedValue(
      new LicbridgeError(ErrorCodes.LEDGER, 'ledger: getRun failed: connect ECONNREFUSED', {
        retryable: true,
      }),
    );
    await endGivenUp(
      ledger,
      ids.map((runId) => ({ runId })),
      'run: the ledger did not answer for 120 s',
    );
    expect(getRun).toHaveBeenCalledTimes(1);
    getRun.mockRestore();
    for (const runId of ids) expect((await ledger.getRun(runId))?.state).toBe('running');
  });
});
