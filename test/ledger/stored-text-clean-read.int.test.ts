/**
 * A version's stored text found corrupt (LB_STORED_TEXT, by a sign job here) is the ledger's fault,
 * not the source row's: a later run that reads the row and maps it cleanly, its content unchanged,
 * writes no version, and the corrupt text is still the license's. Closed by that read, the record
 * left the worklist with the text still broken; the next sign job met it again and wrote a fresh
 * record and a second `quarantine` audit entry. A clean read now closes the key's read reasons
 * (mapping faults) and leaves its stored-text ones open. On both ledger backends.
 */

import { describe, expect, it } from 'vitest';
import type { CommitPageInput } from '../../ledger/ledger.js';
import { BACKENDS } from './backends.js';
import { candidate, uniqueName } from './fixtures.js';
import { ledgerPerBackend } from './ledger-per-backend.js';
import { commitQuarantinePage, openReasonCodes } from './quarantine-page.js';

describe.each(BACKENDS)('a stored-text record when its row maps cleanly ($name)', (backend) => {
  const l = ledgerPerBackend(backend);

  const page = (pipeline: string, runId: string, n: number, over: Partial<CommitPageInput>) =>
    commitQuarantinePage(l.ledger, pipeline, runId, n, over);
  const openCodes = (pipeline: string) => openReasonCodes(l.ledger, pipeline);
  const signJobFindsCorrupt = (pipeline: string, runId: string, versionId: number) =>
    l.ledger.quarantineStoredText({
      pipeline,
      runId,
      stage: 'sign',
      actor: 'signer:seal-1',
      corrupt: [{ versionId, problem: 'its stored text does not read (SyntaxError)' }],
    });

  /** A pipeline whose first run wrote one license's version 1: its row, that run and the version. */
  async function versioned() {
    const pipeline = uniqueName('p');
    const runId = uniqueName('run');
    const row = candidate({ n: 1, pipeline });
    await l.ledger.startRun({ runId, pipeline, mode: 'incremental' });
    const { created } = await page(pipeline, runId, 1, { candidates: [row] });
    const versionId = created[0]?.versionId;
    if (versionId === undefined) throw new Error('a version expected');
    return { pipeline, runId, row, versionId };
  }
  async function nextRun(pipeline: string) {
    const runId = uniqueName('run');
    await l.ledger.startRun({ runId, pipeline, mode: 'full' });
    return runId;
  }

  it('keeps the record open when the next run reads the row unchanged', async () => {
    const { pipeline, runId, row, versionId } = await versioned();
    expect((await signJobFindsCorrupt(pipeline, runId, versionId)).map((f) => f.fresh)).toEqual([true]);
    const later = await nextRun(pipeline);
    const read = await page(pipeline, later, 1, { candidates: [row] });
    expect(read.unchanged).toBe(1);
    expect(await openCodes(pipeline)).toEqual([[row.sourceKey, ['LB_STORED_TEXT']]]);
    // Met again by that run's sign job: the open record stands for it, no second entry.
    expect((await signJobFindsCorrupt(pipeline, later, versionId)).map((f) => f.fresh)).toEqual([false]);
    const entries = ((await l.ledger.licenseAudit(row.licenseId)) ?? []).filter(
      (e) => e.action === 'quarantine',
    );
    expect(entries).toHaveLength(1);
  });

  it('closes the mapping reasons of the record and keeps its stored-text ones', async () => {
    const { pipeline, runId, row, versionId } = await versioned();
    await page(pipeline, runId, 2, {
      quarantined: [{ sourceKey: row.sourceKey, reasons: [{ code: 'LB_MAP_DATE', message: 'not a date' }] }],
    });
    await signJobFindsCorrupt(pipeline, runId, versionId);
    expect(await openCodes(pipeline)).toEqual([[row.sourceKey, ['LB_MAP_DATE', 'LB_STORED_TEXT']]]);
    const later = await nextRun(pipeline);
    // With another row quarantined in the page (PostgreSQL closes and writes in one statement).
    const other = { sourceKey: 'zz-other', reasons: [{ code: 'LB_MAP_REQUIRED', message: 'empty' }] };
    await page(pipeline, later, 1, { candidates: [row], quarantined: [other] });
    expect(await openCodes(pipeline)).toEqual([
      [row.sourceKey, ['LB_STORED_TEXT']],
      ['zz-other', ['LB_MAP_REQUIRED']],
    ]);
  });

  it('still closes a record of mapping reasons alone', async () => {
    const { pipeline, runId, row } = await versioned();
    await page(pipeline, runId, 2, {
      quarantined: [{ sourceKey: row.sourceKey, reasons: [{ code: 'LB_MAP_DATE', message: 'not a date' }] }],
    });
    const later = await nextRun(pipeline);
    await page(pipeline, later, 1, { candidates: [row] });
    expect(await openCodes(pipeline)).toEqual([]);
  });
});
