/**
 * A sign job that met version 1 of a license corrupt quarantined it `LB_STORED_TEXT`, the version
 * left unsigned. A reconcile repair ending the license from version 2 (its text sound) closed
 * every stored-text reason of the key, version 1's too, though version 1 was still corrupt and
 * unsigned: the next run's sign job met it again and wrote a fresh record and a second `quarantine`
 * audit entry. A repair now closes what was said of the version it ended from, and what an earlier
 * repair said of the license (it could not end it; now it has). On both backends.
 */
import { describe, expect, it } from 'vitest';
import { encodeKeyPosition } from '../../connectors/key-position.js';
import type { VersionCandidate } from '../../ledger/ledger.js';
import { BACKENDS } from './backends.js';
import { candidate, uniqueName } from './fixtures.js';
import { ledgerPerBackend } from './ledger-per-backend.js';

describe.each(BACKENDS)('a repair ending a license with an older version unsigned ($name)', (backend) => {
  const l = ledgerPerBackend(backend);

  const storedText = async (pipeline: string) =>
    (await l.ledger.openQuarantine({ pipeline }))
      .flatMap((e) => e.reasons)
      .filter((r) => r.code === 'LB_STORED_TEXT')
      .map((r) => r.message);

  /** Versions 1 and 2 of one license in a run: the run, the row and the two version ids. */
  async function twoVersions() {
    const pipeline = uniqueName('p');
    const runId = uniqueName('run');
    const row = candidate({ n: 1, pipeline });
    await l.ledger.startRun({ runId, pipeline, mode: 'incremental' });
    const ids: number[] = [];
    for (const [n, c] of [row, { ...row, contentHash: 'hash:changed:valid' }].entries()) {
      const { created } = await l.ledger.commitPage({
        pipeline,
        runId,
        checkpoint: encodeKeyPosition({ cursor: `c${n}`, key: `k${n}` }),
        rowsRead: 1,
        candidates: [c as VersionCandidate],
        quarantined: [],
      });
      ids.push(created[0]?.versionId as number);
    }
    return { pipeline, runId, row, ids };
  }
  const signJobMeets = (pipeline: string, runId: string, versionId: number) =>
    l.ledger.quarantineStoredText({
      pipeline,
      runId,
      stage: 'sign',
      actor: 'signer:seal-1',
      corrupt: [{ versionId, problem: 'its stored text does not read' }],
    });
  async function repairEnds(pipeline: string, row: VersionCandidate, after: number) {
    const runId = uniqueName('repair');
    await l.ledger.startRun({ runId, pipeline, mode: 'full' });
    return l.ledger.appendRepairVersions({
      pipeline,
      runId,
      actor: 'operator:test',
      versions: [
        { ...row, status: 'revoked', contentHash: 'hash:a:revoked', reason: 'deleted-at-source', after },
      ],
    });
  }

  it("keeps a sign job's record of the older version open", async () => {
    const { pipeline, runId, row, ids } = await twoVersions();
    expect((await signJobMeets(pipeline, runId, ids[0] as number))[0]?.fresh).toBe(true);
    expect(await repairEnds(pipeline, row, 2)).toHaveLength(1);
    const open = await storedText(pipeline);
    expect(open).toHaveLength(1);
    expect(open[0]?.startsWith(`ledger: license ${row.licenseId} version 1: `)).toBe(true);
    expect((await signJobMeets(pipeline, runId, ids[0] as number))[0]?.fresh).toBe(false);
  });

  it('closes what a sign job said of the version it ended from', async () => {
    const { pipeline, runId, row, ids } = await twoVersions();
    await signJobMeets(pipeline, runId, ids[1] as number);
    await repairEnds(pipeline, row, 2);
    expect(await storedText(pipeline)).toEqual([]);
  });

  it('closes what an earlier repair said of the license at an older version', async () => {
    const { pipeline, row } = await twoVersions();
    const runId = uniqueName('repair');
    await l.ledger.startRun({ runId, pipeline, mode: 'full' });
    await l.ledger.appendRepairVersions({
      pipeline,
      runId,
      actor: 'operator:test',
      versions: [],
      corrupt: [
        {
          licenseId: row.licenseId,
          version: 1,
          sourceKey: row.sourceKey,
          problem: 'its stored text does not read',
        },
      ],
    });
    expect(await storedText(pipeline)).toHaveLength(1);
    await repairEnds(pipeline, row, 2);
    expect(await storedText(pipeline)).toEqual([]);
  });
});
