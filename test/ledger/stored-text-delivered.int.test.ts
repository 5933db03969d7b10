/**
 * A signed version a deliver job could not send, its stored text corrupt, is dead-lettered and
 * quarantined LB_STORED_TEXT (stored-text-quarantine.ts) saying that once the text is restored
 * `licbridge dlq replay` sends it. It did, and the record stayed open: the version was signed
 * already, so no signature closed it, and the worklist named a version the platform holds as still
 * to fix, for good. A send's answer recorded for the version (submitted or accepted over the open
 * row its sender read) now closes what the record said of that version; a status request's answer
 * about a delivery sent before the text went bad, to another target, does not. On both backends.
 */
import { describe, expect, it } from 'vitest';
import type { CommitPageInput } from '../../ledger/ledger.js';
import { BACKENDS } from './backends.js';
import { candidate, signature, uniqueName } from './fixtures.js';
import { ledgerPerBackend } from './ledger-per-backend.js';
import { commitQuarantinePage, openReasonCodes } from './quarantine-page.js';

describe.each(BACKENDS)('a deliver-stage stored-text record when its version is sent ($name)', (backend) => {
  const l = ledgerPerBackend(backend);

  const page = (pipeline: string, runId: string, n: number, over: Partial<CommitPageInput>) =>
    commitQuarantinePage(l.ledger, pipeline, runId, n, over);
  const openCodes = (pipeline: string) => openReasonCodes(l.ledger, pipeline);

  /** Version 1 of two licenses, signed, with a delivery to `target` of each. */
  async function signed(target: string) {
    const pipeline = uniqueName('p');
    const runId = uniqueName('run');
    const rows = [candidate({ n: 1, pipeline }), candidate({ n: 2, pipeline })];
    await l.ledger.startRun({ runId, pipeline, mode: 'incremental' });
    const { created } = await page(pipeline, runId, 1, { candidates: rows });
    const ids = created.map((c) => c.versionId) as [number, number];
    await l.ledger.recordSignatures(ids.map((id) => signature(id, 'seal-1')));
    const deliveries = await l.ledger.ensureDeliveries(ids, target);
    const keyOf = (id: number) => deliveries.find((d) => d.versionId === id)?.key as string;
    return { pipeline, runId, rows, ids, keyOf };
  }

  /** A deliver job to `target` meets the stored text of `versionIds` corrupt: dead letters and records. */
  async function deliverJobFindsCorrupt(
    input: { pipeline: string; runId: string; keyOf: (id: number) => string },
    target: string,
    versionIds: number[],
  ) {
    await l.ledger.quarantineStoredText({
      pipeline: input.pipeline,
      runId: input.runId,
      stage: 'deliver',
      actor: `target:${target}`,
      target,
      corrupt: versionIds.map((versionId) => ({ versionId, problem: 'its stored text does not read' })),
    });
    const keys = versionIds.map(input.keyOf);
    await l.ledger.recordDeliveryOutcomes(
      keys.map((key) => ({ key, state: 'dead', reasons: ['licbridge: LB_STORED_TEXT: not sent'] })),
    );
  }

  it('closes the record of the version a replay sent, and only it', async () => {
    const fx = await signed('province');
    await deliverJobFindsCorrupt(fx, 'province', fx.ids);
    expect(await openCodes(fx.pipeline)).toEqual([
      [fx.rows[0]?.sourceKey, ['LB_STORED_TEXT']],
      [fx.rows[1]?.sourceKey, ['LB_STORED_TEXT']],
    ]);
    // The first text restored, its dead letter replayed; its send is answered.
    const key = fx.keyOf(fx.ids[0]);
    expect(await l.ledger.replayDeadLetters([key])).toHaveLength(1);
    expect(await l.ledger.recordDeliveryOutcomes([{ key, state: 'submitted', from: 'pending' }])).toEqual([
      key,
    ]);

    expect(await openCodes(fx.pipeline)).toEqual([[fx.rows[1]?.sourceKey, ['LB_STORED_TEXT']]]);
    const [closed] = await l.ledger.quarantineHistory({
      sourceKey: fx.rows[0]?.sourceKey as string,
      pipeline: fx.pipeline,
    });
    expect(closed?.resolvedAt).not.toBeNull();
  });

  it('closes it when the replayed send is accepted at once', async () => {
    const fx = await signed('province');
    await deliverJobFindsCorrupt(fx, 'province', [fx.ids[0]]);
    const key = fx.keyOf(fx.ids[0]);
    await l.ledger.replayDeadLetters([key]);
    await l.ledger.recordDeliveryOutcomes([{ key, state: 'accepted', platformId: 'P-1' }]);
    expect(await openCodes(fx.pipeline)).toEqual([]);
  });

  it('keeps it open while a delivery sent before the text went bad is answered at another target', async () => {
    const fx = await signed('province');
    const city = await l.ledger.ensureDeliveries([fx.ids[0]], 'city');
    const cityKey = city[0]?.key as string;
    // Sent to the city before the text went bad; the province's job then met it corrupt.
    await l.ledger.recordDeliveryOutcomes([{ key: cityKey, state: 'submitted', from: 'pending' }]);
    await deliverJobFindsCorrupt(fx, 'province', [fx.ids[0]]);
    // The city's review ends: a status request's answer, no text read.
    await l.ledger.recordDeliveryOutcomes([{ key: cityKey, state: 'accepted', platformId: 'C-1' }]);
    expect(await openCodes(fx.pipeline)).toEqual([[fx.rows[0]?.sourceKey, ['LB_STORED_TEXT']]]);
  });
});
