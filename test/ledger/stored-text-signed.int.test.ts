/**
 * A version a sign job could not sign, its stored text corrupt, is quarantined LB_STORED_TEXT
 * (stored-text-quarantine.ts) saying that once the text is restored the next run signs it. It did,
 * and the record stayed open: nothing closed it but a repair or a tick ending the license, so the
 * worklist named a version signed and delivered as still to fix, for good. Recording a signature of
 * the version now closes what the record said of that version, and nothing else: another version's
 * record, another license's, and the mapping reasons of the same record stay. On both backends.
 */
import { describe, expect, it } from 'vitest';
import type { CommitPageInput, VersionCandidate } from '../../ledger/ledger.js';
import { BACKENDS } from './backends.js';
import { candidate, signature, uniqueName } from './fixtures.js';
import { ledgerPerBackend } from './ledger-per-backend.js';
import { commitQuarantinePage, openReasonCodes } from './quarantine-page.js';

describe.each(BACKENDS)('a stored-text record when its version is signed ($name)', (backend) => {
  const l = ledgerPerBackend(backend);

  const page = (pipeline: string, runId: string, n: number, over: Partial<CommitPageInput>) =>
    commitQuarantinePage(l.ledger, pipeline, runId, n, over);
  const openCodes = (pipeline: string) => openReasonCodes(l.ledger, pipeline);
  const signJobFindsCorrupt = (pipeline: string, runId: string, versionIds: number[]) =>
    l.ledger.quarantineStoredText({
      pipeline,
      runId,
      stage: 'sign',
      actor: 'signer:seal-1',
      corrupt: versionIds.map((versionId) => ({ versionId, problem: 'its stored text does not read' })),
    });

  /** A run that wrote version 1 of two licenses: the run and each row with its version's id. */
  async function versioned() {
    const pipeline = uniqueName('p');
    const runId = uniqueName('run');
    const rows = [candidate({ n: 1, pipeline }), candidate({ n: 2, pipeline })];
    await l.ledger.startRun({ runId, pipeline, mode: 'incremental' });
    const { created } = await page(pipeline, runId, 1, { candidates: rows });
    const ids = created.map((c) => c.versionId);
    if (ids.length !== 2) throw new Error('two versions expected');
    return { pipeline, runId, rows, ids: ids as [number, number] };
  }

  it('closes the record of the version signed, and only it', async () => {
    const { pipeline, runId, rows, ids } = await versioned();
    await signJobFindsCorrupt(pipeline, runId, ids);
    expect(await openCodes(pipeline)).toEqual([
      [rows[0]?.sourceKey, ['LB_STORED_TEXT']],
      [rows[1]?.sourceKey, ['LB_STORED_TEXT']],
    ]);
    // The first text restored: the next run's sign job signs it.
    expect(await l.ledger.recordSignatures([signature(ids[0], 'seal-1')])).toBe(1);
    expect(await openCodes(pipeline)).toEqual([[rows[1]?.sourceKey, ['LB_STORED_TEXT']]]);
    const [closed] = await l.ledger.quarantineHistory({ sourceKey: rows[0]?.sourceKey as string, pipeline });
    expect(closed?.resolvedAt).not.toBeNull();
  });

  it('keeps the record of a version while another version of the license is signed', async () => {
    const { pipeline, runId, rows, ids } = await versioned();
    await signJobFindsCorrupt(pipeline, runId, [ids[0]]);
    const { created } = await page(pipeline, runId, 2, {
      candidates: [{ ...(rows[0] as VersionCandidate), contentHash: 'hash:changed:valid' }],
    });
    const second = created[0]?.versionId as number;
    await l.ledger.recordSignatures([signature(second, 'seal-1')]);
    expect(await openCodes(pipeline)).toEqual([[rows[0]?.sourceKey, ['LB_STORED_TEXT']]]);
  });

  it('keeps the mapping reasons of the record open', async () => {
    const { pipeline, runId, rows, ids } = await versioned();
    const key = rows[0]?.sourceKey as string;
    await page(pipeline, runId, 2, {
      quarantined: [{ sourceKey: key, reasons: [{ code: 'LB_MAP_DATE', message: 'not a date' }] }],
    });
    await signJobFindsCorrupt(pipeline, runId, [ids[0]]);
    expect(await openCodes(pipeline)).toEqual([[key, ['LB_MAP_DATE', 'LB_STORED_TEXT']]]);
    await l.ledger.recordSignatures([signature(ids[0], 'seal-1')]);
    expect(await openCodes(pipeline)).toEqual([[key, ['LB_MAP_DATE']]]);
  });
});
