/**
 * The worklist sums up a key's open records with the latest record's reasons, the latest being the
 * highest id. A deliver job replayed from its dead letters works for the run that queued it, an
 * older one: finding the version's stored text corrupt, it reopened that run's closed record of the
 * key in place (one record per run and key), under its old id, while a later run's record of the key
 * (the row read since with a fault) had a higher one. The entry showed the later record's reasons
 * alone: `quarantine list --reason LB_STORED_TEXT`, which the sign stage's failure points to, did
 * not list the key. A fresh stored-text record hid the later read's reasons the same way. The entry
 * now gives the reasons of the key's latest read and every open record's stored-text reasons.
 * On both ledger backends.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CommitPageInput, Ledger, QuarantineCandidate } from '../../ledger/ledger.js';
import { openLedger } from '../../ledger/open-ledger.js';
import { BACKENDS, quietLogger, type TestDatabase } from './backends.js';
import { candidate, uniqueName } from './fixtures.js';
import { commitQuarantinePage } from './quarantine-page.js';

describe.each(BACKENDS)('a key with a stored-text record beside a later read ($name)', (backend) => {
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

  let pages = 0;
  const page = (pipeline: string, runId: string, over: Partial<CommitPageInput>) => {
    pages += 1;
    return commitQuarantinePage(ledger, pipeline, runId, pages, over);
  };
  const bad = (key: string, code: string): QuarantineCandidate => ({
    sourceKey: key,
    reasons: [{ code, message: 'not valid', path: 'validFrom', column: 'FZRQ' }],
  });
  const entry = async (pipeline: string) =>
    (await ledger.openQuarantine({ pipeline })).map((e) => ({
      key: e.sourceKey,
      codes: e.reasons.map((r) => r.code).sort(),
      times: e.timesSeen,
    }));
  const corrupt = (pipeline: string, runId: string, versionId: number) =>
    ledger.quarantineStoredText({
      pipeline,
      runId,
      stage: 'deliver',
      actor: 'target:province',
      target: 'province',
      corrupt: [{ versionId, problem: 'its stored text does not read (SyntaxError)' }],
    });

  it("lists the stored text of an older run's record reopened in place", async () => {
    const pipeline = uniqueName('p');
    const row = candidate({ n: 1, pipeline });
    const key = row.sourceKey;
    // The first run quarantines the row, then reads it cleanly: its record closed, a version written.
    const first = uniqueName('run');
    await ledger.startRun({ runId: first, pipeline, mode: 'incremental' });
    await page(pipeline, first, { quarantined: [bad(key, 'LB_HOLDER_ID_CHECK')] });
    const { created } = await page(pipeline, first, { candidates: [row] });
    const versionId = created[0]?.versionId as number;
    // A later run reads the row with a fault.
    const later = uniqueName('run');
    await ledger.startRun({ runId: later, pipeline, mode: 'incremental' });
    await page(pipeline, later, { quarantined: [bad(key, 'LB_MAP_DATE')] });
    // The first run's deliver job, replayed, finds the version's text corrupt.
    expect((await corrupt(pipeline, first, versionId)).map((f) => f.fresh)).toEqual([true]);
    expect(await entry(pipeline)).toEqual([{ key, codes: ['LB_MAP_DATE', 'LB_STORED_TEXT'], times: 2 }]);
  });

  it('keeps the latest read beside a stored-text record written after it', async () => {
    const pipeline = uniqueName('p');
    const row = candidate({ n: 1, pipeline });
    const key = row.sourceKey;
    const first = uniqueName('run');
    await ledger.startRun({ runId: first, pipeline, mode: 'incremental' });
    const { created } = await page(pipeline, first, { candidates: [row] });
    const later = uniqueName('run');
    await ledger.startRun({ runId: later, pipeline, mode: 'incremental' });
    await page(pipeline, later, { quarantined: [bad(key, 'LB_HOLDER_ID_CHECK')] });
    await page(pipeline, later, { quarantined: [bad(key, 'LB_MAP_DATE')] });
    await corrupt(pipeline, first, created[0]?.versionId as number);
    expect(await entry(pipeline)).toEqual([{ key, codes: ['LB_MAP_DATE', 'LB_STORED_TEXT'], times: 2 }]);
  });
});
