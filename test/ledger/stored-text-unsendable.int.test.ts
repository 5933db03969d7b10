/**
 * A signed version a deliver job could not send, its stored text corrupt, is dead-lettered and
 * quarantined LB_STORED_TEXT saying that once the text is restored `licbridge dlq replay` sends it.
 * Discarded (`dlq discard`), or left dead by every replay as a later version of the license is
 * accepted at its target (dead-letters-taken.ts `supersededBy`), it is sent by nothing, and the
 * record stayed open with that advice for good: the worklist named as still to fix a version no one
 * will send. What a deliver job said of a version now closes once no delivery of it is left that a
 * replay or a run would send (each dead, pending or rejected one discarded, or behind a later
 * version accepted at its target); while one is, it stays. On both backends.
 */
import { describe, expect, it } from 'vitest';
import type { CommitPageInput } from '../../ledger/ledger.js';
import { BACKENDS } from './backends.js';
import { candidate, signature, uniqueName } from './fixtures.js';
import { ledgerPerBackend } from './ledger-per-backend.js';
import { commitQuarantinePage, openReasonCodes } from './quarantine-page.js';

describe.each(BACKENDS)('a deliver-stage stored-text record no replay can act on ($name)', (backend) => {
  const l = ledgerPerBackend(backend);

  const page = (pipeline: string, runId: string, n: number, over: Partial<CommitPageInput>) =>
    commitQuarantinePage(l.ledger, pipeline, runId, n, over);
  const openCodes = (pipeline: string) => openReasonCodes(l.ledger, pipeline);

  /** Version 1 of two licenses, signed, with a delivery to each of `targets`. */
  async function signed(targets: string[]) {
    const pipeline = uniqueName('p');
    const runId = uniqueName('run');
    const rows = [candidate({ n: 1, pipeline }), candidate({ n: 2, pipeline })];
    await l.ledger.startRun({ runId, pipeline, mode: 'incremental' });
    const { created } = await page(pipeline, runId, 1, { candidates: rows });
    const ids = created.map((c) => c.versionId) as [number, number];
    await l.ledger.recordSignatures(ids.map((id) => signature(id, 'seal-1')));
    const keys = new Map<string, string>();
    for (const target of targets)
      for (const d of await l.ledger.ensureDeliveries(ids, target))
        keys.set(`${d.versionId}:${target}`, d.key);
    const keyOf = (id: number, target: string) => keys.get(`${id}:${target}`) as string;
    return { pipeline, runId, rows, ids, keyOf };
  }

  /** A deliver job to `target` meets the stored text of `versionIds` corrupt: dead letters and records. */
  async function deliverJobFindsCorrupt(
    fx: { pipeline: string; runId: string; keyOf: (id: number, target: string) => string },
    target: string,
    versionIds: number[],
  ) {
    await l.ledger.quarantineStoredText({
      pipeline: fx.pipeline,
      runId: fx.runId,
      stage: 'deliver',
      actor: `target:${target}`,
      target,
      corrupt: versionIds.map((versionId) => ({ versionId, problem: 'its stored text does not read' })),
    });
    await l.ledger.recordDeliveryOutcomes(
      versionIds.map((id) => ({
        key: fx.keyOf(id, target),
        state: 'dead',
        reasons: ['licbridge: LB_STORED_TEXT: not sent'],
      })),
    );
  }

  it('closes the record of a version whose dead letter is discarded, and only it', async () => {
    const fx = await signed(['province']);
    await deliverJobFindsCorrupt(fx, 'province', fx.ids);
    expect(await l.ledger.discardDeadLetters([fx.keyOf(fx.ids[0], 'province')])).toHaveLength(1);

    expect(await openCodes(fx.pipeline)).toEqual([[fx.rows[1]?.sourceKey, ['LB_STORED_TEXT']]]);
    const [closed] = await l.ledger.quarantineHistory({
      sourceKey: fx.rows[0]?.sourceKey as string,
      pipeline: fx.pipeline,
    });
    expect(closed?.resolvedAt).not.toBeNull();
  });

  it('keeps it open while the version is dead at another target, a replay still sending it there', async () => {
    const fx = await signed(['province', 'city']);
    await deliverJobFindsCorrupt(fx, 'province', [fx.ids[0]]);
    await deliverJobFindsCorrupt(fx, 'city', [fx.ids[0]]);
    await l.ledger.discardDeadLetters([fx.keyOf(fx.ids[0], 'province')]);
    expect(await openCodes(fx.pipeline)).toEqual([[fx.rows[0]?.sourceKey, ['LB_STORED_TEXT']]]);

    await l.ledger.discardDeadLetters([fx.keyOf(fx.ids[0], 'city')]);
    expect(await openCodes(fx.pipeline)).toEqual([]);
  });

  it('closes it once a later version of the license is accepted at its target', async () => {
    const fx = await signed(['province']);
    await deliverJobFindsCorrupt(fx, 'province', [fx.ids[0]]);
    // The business row changes: version 2, signed and sent, is accepted where version 1 is dead.
    const { created } = await page(fx.pipeline, fx.runId, 2, {
      candidates: [candidate({ n: 1, pipeline: fx.pipeline, content: 'b' })],
    });
    const v2 = created[0]?.versionId as number;
    await l.ledger.recordSignatures([signature(v2, 'seal-1')]);
    const [d2] = await l.ledger.ensureDeliveries([v2], 'province');
    const key2 = d2?.key as string;
    await l.ledger.recordDeliveryOutcomes([{ key: key2, state: 'submitted', from: 'pending' }]);
    expect(await openCodes(fx.pipeline)).toEqual([[fx.rows[0]?.sourceKey, ['LB_STORED_TEXT']]]);

    await l.ledger.recordDeliveryOutcomes([{ key: key2, state: 'accepted', platformId: 'P-2' }]);
    expect(await openCodes(fx.pipeline)).toEqual([]);
  });
});
