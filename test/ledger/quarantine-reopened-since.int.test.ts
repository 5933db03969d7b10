/**
 * A quarantine record is one per (run, key): a run that quarantines a key, then reads it cleanly
 * (closed), then quarantines it again (a changed row read again in a later page) reopens the same
 * record, as does a deliver job replayed for an older run meeting a corrupt stored text. The
 * reopened record kept the created_at of its first opening, so the worklist's first seen (and the
 * age people read from it) counted from before the key last mapped cleanly. A reopened record now
 * takes the time it was reopened; one merged while still open keeps its own. On both backends.
 */
import { describe, expect, it } from 'vitest';
import type { CommitPageInput, QuarantineCandidate } from '../../ledger/ledger.js';
import { BACKENDS } from './backends.js';
import { candidate, uniqueName } from './fixtures.js';
import { ledgerPerBackend } from './ledger-per-backend.js';
import { commitQuarantinePage } from './quarantine-page.js';

describe.each(BACKENDS)('a reopened quarantine record and its first seen ($name)', (backend) => {
  const l = ledgerPerBackend(backend);

  const page = (pipeline: string, runId: string, n: number, over: Partial<CommitPageInput>) =>
    commitQuarantinePage(l.ledger, pipeline, runId, n, over);
  const bad = (key: string, code: string): QuarantineCandidate => ({
    sourceKey: key,
    reasons: [{ code, message: 'not valid' }],
  });
  /** A moment later than every time written so far: the clock moves on past it. */
  async function mark(): Promise<Date> {
    const at = new Date();
    while (Date.now() <= at.getTime() + 1) await new Promise((r) => setTimeout(r, 2));
    return at;
  }
  const firstSeen = async (pipeline: string) => (await l.ledger.openQuarantine({ pipeline }))[0]?.firstSeen;

  async function run() {
    const pipeline = uniqueName('p');
    const runId = uniqueName('run');
    await l.ledger.startRun({ runId, pipeline, mode: 'incremental' });
    return { pipeline, runId, row: candidate({ n: 1, pipeline }) };
  }

  it('counts a key quarantined again after it mapped cleanly from the new record', async () => {
    const { pipeline, runId, row } = await run();
    await page(pipeline, runId, 1, { quarantined: [bad(row.sourceKey, 'LB_MAP_DATE')] });
    await page(pipeline, runId, 2, { candidates: [row] });
    expect(await l.ledger.openQuarantine({ pipeline })).toEqual([]);
    const reopened = await mark();
    await page(pipeline, runId, 3, { quarantined: [bad(row.sourceKey, 'LB_MAP_REQUIRED')] });
    expect((await firstSeen(pipeline))?.getTime()).toBeGreaterThanOrEqual(reopened.getTime());
    const [record] = await l.ledger.quarantineHistory({ sourceKey: row.sourceKey, pipeline });
    expect(record?.createdAt.getTime()).toBeGreaterThanOrEqual(reopened.getTime());
  });

  it('keeps the first seen of a record still open when the run reads the key again', async () => {
    const { pipeline, runId, row } = await run();
    await page(pipeline, runId, 1, { quarantined: [bad(row.sourceKey, 'LB_MAP_DATE')] });
    const opened = await firstSeen(pipeline);
    await mark();
    await page(pipeline, runId, 2, { quarantined: [bad(row.sourceKey, 'LB_MAP_REQUIRED')] });
    expect(await firstSeen(pipeline)).toEqual(opened);
  });

  it('counts a stored-text record reopening a closed record of an older run from the reopening', async () => {
    const { pipeline, runId, row } = await run();
    const { created } = await page(pipeline, runId, 1, { candidates: [row] });
    await page(pipeline, runId, 2, { quarantined: [bad(row.sourceKey, 'LB_MAP_DATE')] });
    await page(pipeline, runId, 3, { candidates: [row] });
    expect(await l.ledger.openQuarantine({ pipeline })).toEqual([]);
    const reopened = await mark();
    // A deliver job replayed from its dead letter works for the run that queued it.
    await l.ledger.quarantineStoredText({
      pipeline,
      runId,
      stage: 'deliver',
      actor: 'target:province',
      target: 'province',
      corrupt: [{ versionId: created[0]?.versionId as number, problem: 'its stored text does not read' }],
    });
    expect((await firstSeen(pipeline))?.getTime()).toBeGreaterThanOrEqual(reopened.getTime());
  });
});
