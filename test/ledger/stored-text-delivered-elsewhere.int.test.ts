/**
 * A version a deliver job could not send, its stored text corrupt, is dead-lettered at each target
 * whose job met it, and quarantined LB_STORED_TEXT saying that once the text is restored
 * `licbridge dlq replay` sends it. The answer to its replayed send at one target closed the whole
 * reason while its dead letter at another target still waited for a replay: the worklist dropped a
 * version still to send there. The answer now closes it as a discard does
 * (quarantine-unsendable-stored-text.ts): once no delivery of the version is left that a replay or
 * a run would send. On both backends.
 */
import { describe, expect, it } from 'vitest';
import type { CommitPageInput } from '../../ledger/ledger.js';
import { BACKENDS } from './backends.js';
import { candidate, signature, uniqueName } from './fixtures.js';
import { ledgerPerBackend } from './ledger-per-backend.js';
import { commitQuarantinePage, openReasonCodes } from './quarantine-page.js';

describe.each(BACKENDS)(
  'a deliver-stage stored-text record sent at one of its targets ($name)',
  (backend) => {
    const l = ledgerPerBackend(backend);

    const openCodes = (pipeline: string) => openReasonCodes(l.ledger, pipeline);

    /** Version 1 of a license, signed, with a delivery to each of `targets`. */
    async function signed(targets: string[]) {
      const pipeline = uniqueName('p');
      const runId = uniqueName('run');
      const rows = [candidate({ n: 1, pipeline })];
      await l.ledger.startRun({ runId, pipeline, mode: 'incremental' });
      const over: Partial<CommitPageInput> = { candidates: rows };
      const { created } = await commitQuarantinePage(l.ledger, pipeline, runId, 1, over);
      const id = created[0]?.versionId as number;
      await l.ledger.recordSignatures([signature(id, 'seal-1')]);
      const keys = new Map<string, string>();
      for (const target of targets)
        for (const d of await l.ledger.ensureDeliveries([id], target)) keys.set(target, d.key);
      const keyAt = (target: string) => keys.get(target) as string;
      return { pipeline, runId, sourceKey: rows[0]?.sourceKey, id, keyAt };
    }

    /** A deliver job to `target` meets the version's stored text corrupt: a dead letter and a record. */
    async function deliverJobFindsCorrupt(
      fx: { pipeline: string; runId: string; id: number; keyAt: (target: string) => string },
      target: string,
    ) {
      await l.ledger.quarantineStoredText({
        pipeline: fx.pipeline,
        runId: fx.runId,
        stage: 'deliver',
        actor: `target:${target}`,
        target,
        corrupt: [{ versionId: fx.id, problem: 'its stored text does not read' }],
      });
      await l.ledger.recordDeliveryOutcomes([
        { key: fx.keyAt(target), state: 'dead', reasons: ['licbridge: LB_STORED_TEXT: not sent'] },
      ]);
    }

    /** The text restored, the dead letter at `target` replayed and its send answered `state`. */
    async function replayedAndAnswered(
      fx: { keyAt: (target: string) => string },
      target: string,
      state: 'submitted' | 'accepted',
    ) {
      const key = fx.keyAt(target);
      expect(await l.ledger.replayDeadLetters([key])).toHaveLength(1);
      expect(await l.ledger.recordDeliveryOutcomes([{ key, state, from: 'pending' }])).toEqual([key]);
    }

    it('keeps it open while its dead letter at another target waits for a replay', async () => {
      const fx = await signed(['province', 'city']);
      await deliverJobFindsCorrupt(fx, 'province');
      await deliverJobFindsCorrupt(fx, 'city');

      await replayedAndAnswered(fx, 'province', 'submitted');
      expect(await openCodes(fx.pipeline)).toEqual([[fx.sourceKey, ['LB_STORED_TEXT']]]);
      // The province's review ends: accepted there, still dead at the city.
      await l.ledger.recordDeliveryOutcomes([
        { key: fx.keyAt('province'), state: 'accepted', platformId: 'P-1' },
      ]);
      expect(await openCodes(fx.pipeline)).toEqual([[fx.sourceKey, ['LB_STORED_TEXT']]]);

      await replayedAndAnswered(fx, 'city', 'submitted');
      expect(await openCodes(fx.pipeline)).toEqual([]);
    });

    it('keeps it open while its delivery to another target is still pending, a run sending it', async () => {
      const fx = await signed(['province', 'city']);
      await deliverJobFindsCorrupt(fx, 'province');

      await replayedAndAnswered(fx, 'province', 'accepted');
      expect(await openCodes(fx.pipeline)).toEqual([[fx.sourceKey, ['LB_STORED_TEXT']]]);

      // The city's deliver job sends it, its text read whole.
      await l.ledger.recordDeliveryOutcomes([{ key: fx.keyAt('city'), state: 'submitted', from: 'pending' }]);
      expect(await openCodes(fx.pipeline)).toEqual([]);
    });

    it('closes it once the dead letter left at the other target is discarded', async () => {
      const fx = await signed(['province', 'city']);
      await deliverJobFindsCorrupt(fx, 'province');
      await deliverJobFindsCorrupt(fx, 'city');
      await replayedAndAnswered(fx, 'province', 'submitted');
      expect(await openCodes(fx.pipeline)).toEqual([[fx.sourceKey, ['LB_STORED_TEXT']]]);

      expect(await l.ledger.discardDeadLetters([fx.keyAt('city')])).toHaveLength(1);
      expect(await openCodes(fx.pipeline)).toEqual([]);
    });
  },
);
