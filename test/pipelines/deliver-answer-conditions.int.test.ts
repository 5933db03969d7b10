/**
 * The deliver stage writes a platform's answer only over the state it read the delivery in. A
 * send's rejection or permanent failure (a dead letter) does not overwrite a `submitted` another
 * job's send recorded while this one waited for its answer (its lease ran out); a status request's
 * answer does not move a delivery decided, replayed and leased to its sender meanwhile. A status
 * request's rejection of a delivery still `submitted` is written, whatever else was counted on it
 * meanwhile (another job's failed status request).
 */
import { describe, expect, it } from 'vitest';
import type { DeliveryOutcome, TargetAdapter } from '../../adapters/platforms/target.js';
import { deliverVersions } from '../../pipelines/stages/deliver.js';
import { BACKENDS } from '../ledger/backends.js';
import { candidate } from '../ledger/fixtures.js';
import { signedDeliveries } from '../ledger/signed-runs.js';
import { reviewingProvince, submittedWithId } from '../platforms/scripted-province.js';
import { meanwhile } from '../support/meanwhile.js';

const SEAL = 'seal-answer-conditions';
const PIPELINE = 'answer-conditions';

const rejected = (key: string): unknown[] => [
  { key, status: 'rejected', platformId: `P-${key}`, errors: ['zzbh: not in the catalog'] },
];

for (const backend of BACKENDS) {
  describe(`deliver answers written over what was read (${backend.name} ledger)`, () => {
    // The province answers a batch and a status request as each test last set env.batch and env.status.
    const env = reviewingProvince(backend);
    const { commit, nextLicense, oneDelivery } = signedDeliveries(() => env.ledger, PIPELINE, SEAL);

    /**
     * The province target: its next answer (to a send or a status request) is in, `step` runs
     * (another job's writes), then the stage gets the answer, as `answer` rewrites it.
     */
    const racing = (
      step: () => Promise<void>,
      answer: (o: DeliveryOutcome) => DeliveryOutcome = (o) => o,
    ): TargetAdapter =>
      meanwhile(env.province as TargetAdapter, ['deliver', 'poll'], step, {
        result: (out) => (out as DeliveryOutcome[]).map(answer),
      });

    for (const [what, answering, answer] of [
      ['rejection', rejected, (o: DeliveryOutcome) => o],
      [
        'permanent failure',
        submittedWithId,
        (o: DeliveryOutcome): DeliveryOutcome => ({
          key: o.key,
          state: 'failed',
          retryable: false,
          reasons: ['target province: HTTP 400'],
        }),
      ],
    ] as const) {
      it(`a send's ${what} leaves the submitted another job's send recorded meanwhile`, async () => {
        const { ids, key } = await oneDelivery();
        env.batch = answering;
        const result = await deliverVersions(
          racing(async () => {
            // This job's lease ran out while it waited; another job sent the key and recorded its answer.
            await env.ledger.recordDeliveryOutcomes([{ key, state: 'submitted', platformId: 'P-other' }]);
          }, answer),
          SEAL,
          env.ledger,
          ids,
        );
        const [after] = await env.ledger.getDeliveries([key]);
        expect(after).toMatchObject({ state: 'submitted', platformId: 'P-other', reasons: [] });
        // Counted by the job that wrote it, not here.
        expect(result.dead).toBe(0);
      });
    }

    it("a send's rejection of a delivery nobody wrote meanwhile is a dead letter", async () => {
      const { ids, key } = await oneDelivery();
      env.batch = rejected;
      const result = await deliverVersions(
        racing(async () => undefined),
        SEAL,
        env.ledger,
        ids,
      );
      const [after] = await env.ledger.getDeliveries([key]);
      expect(after).toMatchObject({ state: 'dead', reasons: ['zzbh: not in the catalog'] });
      expect(result.dead).toBe(1);
    });

    it("a status request's rejection dead-letters a submitted delivery another job's request failed on meanwhile", async () => {
      const { ids, key } = await oneDelivery();
      env.batch = submittedWithId;
      expect(await deliverVersions(env.province, SEAL, env.ledger, ids)).toMatchObject({ submitted: 1 });
      env.status = rejected;
      await deliverVersions(
        racing(async () => {
          await env.ledger.recordDeliveryAttempt(
            [key],
            { error: 'platform answered with an unknown status `frozen`', reason: 'unknown-status' },
            'submitted',
          );
        }),
        SEAL,
        env.ledger,
        ids,
      );
      const [after] = await env.ledger.getDeliveries([key]);
      expect(after).toMatchObject({ state: 'dead', reasons: ['zzbh: not in the catalog'] });
    });

    it('a delivery held behind a dead predecessor is not dead-lettered over an answer written meanwhile', async () => {
      const n = nextLicense();
      const [v1] = await commit([candidate({ n, pipeline: PIPELINE })]);
      const [v2] = await commit([candidate({ n, pipeline: PIPELINE, content: 'b' })]);
      const [first] = await env.ledger.ensureDeliveries([v1 as number], 'province');
      await env.ledger.recordDeliveryOutcomes([{ key: first?.key ?? '', state: 'dead', reasons: ['zzbh'] }]);
      const [second] = await env.ledger.ensureDeliveries([v2 as number], 'province');
      const key = second?.key ?? '';
      // Read with its predecessor dead; another job's send of it is answered before this one writes.
      const reading = meanwhile(env.ledger, 'deliveryPredecessors', async () => {
        await env.ledger.recordDeliveryOutcomes([{ key, state: 'submitted', platformId: 'P-other' }]);
      });
      const result = await deliverVersions(env.province, SEAL, reading, [v2 as number]);

      const [after] = await env.ledger.getDeliveries([key]);
      expect(after).toMatchObject({ state: 'submitted', platformId: 'P-other', reasons: [] });
      expect(result.dead).toBe(0);
    });

    /** Another job's check rejects the delivery, the operator replays it, its sender leases it. */
    const replayedAndLeased = (key: string) => async () => {
      await env.ledger.recordDeliveryOutcomes([
        { key, state: 'dead', reasons: ['platform: rejected (zzbh)'] },
      ]);
      expect(await env.ledger.replayDeadLetters([key])).toHaveLength(1);
      expect(await env.ledger.claimDeliveries([key], 'another-sender', 60_000)).toEqual([key]);
    };

    for (const [answer, answering] of [
      ['still under review', submittedWithId],
      ['a rejection', rejected],
    ] as const) {
      it(`a status request's answer (${answer}) leaves a delivery replayed and leased meanwhile`, async () => {
        const { ids, key } = await oneDelivery();
        env.batch = submittedWithId;
        await deliverVersions(env.province, SEAL, env.ledger, ids);
        env.status = answering;
        await deliverVersions(racing(replayedAndLeased(key)), SEAL, env.ledger, ids);

        const [after] = await env.ledger.getDeliveries([key]);
        // To be sent again from scratch by its sender, which still holds it.
        expect(after).toMatchObject({ state: 'pending', attempts: 0, reasons: [] });
        expect(await env.ledger.claimDeliveries([key], 'a-third-sender', 60_000)).toEqual([]);
      });
    }
  });
}
