/**
 * LB_STORED_TEXT records were kept once per (key, code): a sign job finding version 2 of a license
 * corrupt while what it said of version 1 was open wrote nothing, and once version 1 was signed
 * (its reason closed) version 2's corrupt text was on no list at all, and audited nowhere. A reason
 * is now kept once per (key, code, version), on both backends: version 2 gets its own reason and
 * audit entry, and stays open when version 1 is signed; the same version met again gets neither.
 */
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { CommitPageInput, VersionCandidate } from '../../ledger/ledger.js';
import { BACKENDS } from './backends.js';
import { candidate, signature, uniqueName } from './fixtures.js';
import { ledgerPerBackend } from './ledger-per-backend.js';
import { commitQuarantinePage } from './quarantine-page.js';

describe.each(BACKENDS)('a stored-text reason per version of a license ($name)', (backend) => {
  const l = ledgerPerBackend(backend);

  const page = (pipeline: string, runId: string, n: number, over: Partial<CommitPageInput>) =>
    commitQuarantinePage(l.ledger, pipeline, runId, n, over);
  const signJobFindsCorrupt = (pipeline: string, runId: string, versionIds: number[]) =>
    l.ledger.quarantineStoredText({
      pipeline,
      runId,
      stage: 'sign',
      actor: 'signer:seal-1',
      corrupt: versionIds.map((versionId) => ({ versionId, problem: 'its stored text does not read' })),
    });
  /** The versions each open LB_STORED_TEXT reason of `pipeline` is about, by key. */
  const openVersions = async (pipeline: string) =>
    (await l.ledger.openQuarantine({ pipeline })).map((q) => [
      q.sourceKey,
      q.reasons
        .filter((r) => r.code === 'LB_STORED_TEXT')
        .map((r) => /^ledger: license \S+ version (\d+): /.exec(r.message)?.[1])
        .sort(),
    ]);
  const quarantineEntries = async (licenseId: string) =>
    ((await l.ledger.licenseAudit(licenseId)) ?? [])
      .filter((e) => e.action === 'quarantine')
      .map((e) => e.versions);

  /** A license at version 2, both versions written by one run: the run, its row and both ids. */
  async function twoVersions() {
    const pipeline = uniqueName('p');
    const runId = uniqueName('run');
    const row = candidate({ n: 1, pipeline });
    await l.ledger.startRun({ runId, pipeline, mode: 'incremental' });
    const first = (await page(pipeline, runId, 1, { candidates: [row] })).created[0];
    const second = (
      await page(pipeline, runId, 2, {
        candidates: [{ ...(row as VersionCandidate), contentHash: 'hash:changed:valid' }],
      })
    ).created[0];
    if (!first || !second) throw new Error('two versions expected');
    return { pipeline, runId, key: row.sourceKey, licenseId: first.licenseId, ids: [first, second] };
  }

  it("records version 2 beside version 1's open reason, and keeps it when version 1 is signed", async () => {
    const { pipeline, runId, key, licenseId, ids } = await twoVersions();
    await signJobFindsCorrupt(pipeline, runId, [ids[0]?.versionId as number]);
    const later = randomUUID();
    const found = await signJobFindsCorrupt(pipeline, later, [ids[1]?.versionId as number]);
    expect(found.map((f) => [f.version, f.fresh])).toEqual([[2, true]]);
    // The worklist shows a key once, with the reasons of its open records.
    expect(await openVersions(pipeline)).toEqual([[key, ['1', '2']]]);
    expect(await quarantineEntries(licenseId)).toEqual([[1], [2]]);

    // Version 1's text restored and signed: version 2's is still corrupt, and still on the list.
    await l.ledger.recordSignatures([signature(ids[0]?.versionId as number, 'seal-1')]);
    expect(await openVersions(pipeline)).toEqual([[key, ['2']]]);
    expect((await l.ledger.verifyAudit()).ok).toBe(true);
  });

  it('writes only the version not open when a job meets both, and nothing the second time', async () => {
    const { pipeline, runId, key, licenseId, ids } = await twoVersions();
    await signJobFindsCorrupt(pipeline, runId, [ids[0]?.versionId as number]);
    const both = ids.map((v) => v.versionId);
    const found = await signJobFindsCorrupt(pipeline, runId, both);
    expect(found.map((f) => [f.version, f.fresh])).toEqual([
      [1, false],
      [2, true],
    ]);
    // The job's run already held the key's record: the reason is added to it.
    expect(await openVersions(pipeline)).toEqual([[key, ['1', '2']]]);
    expect(await quarantineEntries(licenseId)).toEqual([[1], [2]]);

    const again = await signJobFindsCorrupt(pipeline, randomUUID(), both);
    expect(again.map((f) => f.fresh)).toEqual([false, false]);
    expect(await openVersions(pipeline)).toEqual([[key, ['1', '2']]]);
    expect(await quarantineEntries(licenseId)).toEqual([[1], [2]]);
  });

  it('records two versions a job finds corrupt at once, each with its entry', async () => {
    const { pipeline, runId, key, licenseId, ids } = await twoVersions();
    const found = await signJobFindsCorrupt(
      pipeline,
      runId,
      ids.map((v) => v.versionId),
    );
    expect(found.map((f) => [f.version, f.fresh])).toEqual([
      [1, true],
      [2, true],
    ]);
    expect(await openVersions(pipeline)).toEqual([[key, ['1', '2']]]);
    expect(await quarantineEntries(licenseId)).toEqual([[1], [2]]);
  });
});
