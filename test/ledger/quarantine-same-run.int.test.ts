/**
 * A source row that changes while a run reads (its cursor moves past the run's checkpoint) is read
 * again by the same run, in a later page. Quarantined both times, the run's one record of the key
 * kept the first page's reasons (the conflict on (run, key) was ignored): the worklist named a
 * fault the row no longer has. Quarantined, then mapped cleanly (record closed), then quarantined
 * again, the record stayed closed: the key's latest row, never versioned, was in no worklist.
 * The record now holds what the key's latest read found.
 */
import { describe, expect, it } from 'vitest';
import type { CommitPageInput, QuarantineCandidate } from '../../ledger/ledger.js';
import { BACKENDS } from './backends.js';
import { candidate, uniqueName } from './fixtures.js';
import { ledgerPerBackend } from './ledger-per-backend.js';
import { commitQuarantinePage } from './quarantine-page.js';

describe.each(BACKENDS)('a key quarantined twice in one run ($name)', (backend) => {
  const l = ledgerPerBackend(backend);

  const page = (pipeline: string, runId: string, n: number, over: Partial<CommitPageInput>) =>
    commitQuarantinePage(l.ledger, pipeline, runId, n, over);
  const bad = (key: string, code: string): QuarantineCandidate => ({
    sourceKey: key,
    reasons: [{ code, message: 'not valid', path: 'holder.id', column: 'TYSHXYDM' }],
  });
  const openCodes = async (pipeline: string) =>
    (await l.ledger.openQuarantine({ pipeline })).map((e) => [e.sourceKey, e.reasons.map((r) => r.code)]);

  it('lists the reasons of its latest read', async () => {
    const pipeline = uniqueName('p');
    const runId = uniqueName('run');
    const key = `${pipeline}-1`;
    await l.ledger.startRun({ runId, pipeline, mode: 'incremental' });
    await page(pipeline, runId, 1, { quarantined: [bad(key, 'LB_HOLDER_ID_CHECK')] });
    await page(pipeline, runId, 2, { quarantined: [bad(key, 'LB_MAP_DATE')] });
    expect(await openCodes(pipeline)).toEqual([[key, ['LB_MAP_DATE']]]);
    const run = await l.ledger.getRun(runId);
    expect(run?.quarantined).toBe(2);
    expect((await l.ledger.quarantineFor(runId)).map((q) => q.reasons.map((r) => r.code))).toEqual([
      ['LB_MAP_DATE'],
    ]);
  });

  it('is open again when quarantined after it mapped cleanly in the run', async () => {
    const pipeline = uniqueName('p');
    const runId = uniqueName('run');
    const c = candidate({ n: 3, pipeline });
    await l.ledger.startRun({ runId, pipeline, mode: 'incremental' });
    await page(pipeline, runId, 1, { quarantined: [bad(c.sourceKey, 'LB_HOLDER_ID_CHECK')] });
    await page(pipeline, runId, 2, { candidates: [c] });
    expect(await openCodes(pipeline)).toEqual([]);
    await page(pipeline, runId, 3, { quarantined: [bad(c.sourceKey, 'LB_MAP_DATE')] });
    expect(await openCodes(pipeline)).toEqual([[c.sourceKey, ['LB_MAP_DATE']]]);
  });

  it('keeps the last of a key quarantined twice in one page', async () => {
    const pipeline = uniqueName('p');
    const runId = uniqueName('run');
    const key = `${pipeline}-7`;
    await l.ledger.startRun({ runId, pipeline, mode: 'incremental' });
    const result = await page(pipeline, runId, 1, {
      quarantined: [bad(key, 'LB_HOLDER_ID_CHECK'), bad(key, 'LB_MAP_DATE')],
    });
    expect(result.quarantined).toBe(2);
    expect(await openCodes(pipeline)).toEqual([[key, ['LB_MAP_DATE']]]);
  });
});
