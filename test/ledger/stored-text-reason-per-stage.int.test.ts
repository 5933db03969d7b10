/**
 * A deliver job and a reconcile repair that meet the same corrupt version each leave something
 * undone: the deliver job its send (the delivery dead-lettered), the repair the license's ending.
 * Reasons were kept once per (key, code, version), whatever the stage: the repair's "could not end
 * it" was skipped beside the deliver job's reason, and once `dlq discard` closed that reason the key
 * left the worklist while the repair still could not end the license, back only at the next repair.
 * Each stage's reason is now kept beside the other's until its own cause is gone; a stage meeting
 * the version again still adds nothing. On both backends.
 */
import { describe, expect, it } from 'vitest';
import { REPAIR_ENDED_BY } from '../../ledger/repair-quarantine.js';
import { DELIVERY_DEAD_LETTERED } from '../../ledger/stored-text-quarantine.js';
import { BACKENDS } from './backends.js';
import { candidate, signature, uniqueName } from './fixtures.js';
import { ledgerPerBackend } from './ledger-per-backend.js';
import { commitQuarantinePage } from './quarantine-page.js';

describe.each(BACKENDS)('stored-text reasons of two stages about one version ($name)', (backend) => {
  const l = ledgerPerBackend(backend);

  /** Version 1 of a license, signed, with a delivery to the province. */
  async function signed() {
    const pipeline = uniqueName('p');
    const runId = uniqueName('run');
    const row = candidate({ n: 1, pipeline });
    await l.ledger.startRun({ runId, pipeline, mode: 'incremental' });
    const { created } = await commitQuarantinePage(l.ledger, pipeline, runId, 1, { candidates: [row] });
    const versionId = created[0]?.versionId as number;
    await l.ledger.recordSignatures([signature(versionId, 'seal-1')]);
    const [delivery] = await l.ledger.ensureDeliveries([versionId], 'province');
    return { pipeline, runId, row, versionId, key: delivery?.key as string };
  }
  type Fixture = Awaited<ReturnType<typeof signed>>;

  /** The province's deliver job meets the version corrupt: its record, and the dead letter. */
  async function deliverJobMeets(fx: Fixture) {
    const [found] = await l.ledger.quarantineStoredText({
      pipeline: fx.pipeline,
      runId: fx.runId,
      stage: 'deliver',
      actor: 'target:province',
      target: 'province',
      corrupt: [{ versionId: fx.versionId, problem: 'its stored text does not read' }],
    });
    await l.ledger.recordDeliveryOutcomes([
      { key: fx.key, state: 'dead', reasons: ['licbridge: LB_STORED_TEXT: not sent'] },
    ]);
    return found?.fresh;
  }

  /** A repair asked to end the license meets version 1 corrupt and could not end it. */
  async function repairMeets(fx: Fixture) {
    const runId = uniqueName('repair');
    await l.ledger.startRun({ runId, pipeline: fx.pipeline, mode: 'full' });
    await l.ledger.appendRepairVersions({
      pipeline: fx.pipeline,
      runId,
      actor: 'operator:test',
      versions: [],
      corrupt: [
        {
          licenseId: fx.row.licenseId,
          version: 1,
          sourceKey: fx.row.sourceKey,
          problem: 'its stored text does not read',
        },
      ],
    });
  }

  /** The stages whose open LB_STORED_TEXT reasons the worklist shows, by key. */
  const openStages = async (pipeline: string) =>
    (await l.ledger.openQuarantine({ pipeline })).map((e) => [
      e.sourceKey,
      e.reasons
        .filter((r) => r.code === 'LB_STORED_TEXT')
        .map((r) =>
          r.message.includes(DELIVERY_DEAD_LETTERED)
            ? 'deliver'
            : r.message.includes(REPAIR_ENDED_BY)
              ? 'repair'
              : 'other',
        )
        .sort(),
    ]);
  const quarantineStages = async (licenseId: string) =>
    ((await l.ledger.licenseAudit(licenseId)) ?? [])
      .filter((e) => e.action === 'quarantine')
      .map((e) => (JSON.parse(e.detail) as { stage: string }).stage);

  it("keeps the repair's reason once the deliver job's dead letter is discarded", async () => {
    const fx = await signed();
    expect(await deliverJobMeets(fx)).toBe(true);
    await repairMeets(fx);
    expect(await openStages(fx.pipeline)).toEqual([[fx.row.sourceKey, ['deliver', 'repair']]]);

    expect(await l.ledger.discardDeadLetters([fx.key])).toHaveLength(1);
    // The repair still cannot end the license: the key stays on the worklist, saying so.
    expect(await openStages(fx.pipeline)).toEqual([[fx.row.sourceKey, ['repair']]]);
    expect(await quarantineStages(fx.row.licenseId)).toEqual(['deliver', 'repair']);
    expect((await l.ledger.verifyAudit()).ok).toBe(true);
  });

  it("records the deliver job's reason beside a repair's said first", async () => {
    const fx = await signed();
    await repairMeets(fx);
    expect(await deliverJobMeets(fx)).toBe(true);
    expect(await openStages(fx.pipeline)).toEqual([[fx.row.sourceKey, ['deliver', 'repair']]]);
    expect(await quarantineStages(fx.row.licenseId)).toEqual(['repair', 'deliver']);
  });

  it('adds nothing when each stage meets the version again', async () => {
    const fx = await signed();
    await deliverJobMeets(fx);
    await repairMeets(fx);
    await repairMeets(fx);
    expect(await deliverJobMeets(fx)).toBe(false);
    expect(await openStages(fx.pipeline)).toEqual([[fx.row.sourceKey, ['deliver', 'repair']]]);
    expect(await quarantineStages(fx.row.licenseId)).toEqual(['deliver', 'repair']);
  });
});
