/**
 * A job giving up on its open deliveries (deadLetterOpen) and another job sending one of them.
 * The interleaving: the job giving up reads the delivery (pending), another job claims it — a claim
 * moves no `revision` — and sends it, the job giving up writes its dead letter, the platform answers
 * the send `submitted`. The platform reviews the license: the ledger must say `submitted`, so its
 * status is asked and no operator's `dlq replay` sends it again. Likewise a delivery another job is
 * sending is not dead-lettered for a predecessor this job read dead. A delivery leased to a sender
 * whose lease ran out (the sender died) is still dead-lettered. The job's own send counts as a
 * sender too: one whose answer the ledger failed to write keeps its lease, is not dead-lettered
 * while it runs, and is queued again by a sweep once it ran out.
 */
import { describe, expect, it } from 'vitest';
import { deadLetterOpen } from '../../pipelines/delivery-policy.js';
import { type DeliverResult, deliverVersions } from '../../pipelines/stages/deliver.js';
import { BACKENDS } from '../ledger/backends.js';
import { ageLeases } from '../ledger/clock-skew.js';
import { candidate } from '../ledger/fixtures.js';
import { signedDeliveries } from '../ledger/signed-runs.js';
import { reviewingProvince } from '../platforms/scripted-province.js';
import { meanwhile } from '../support/meanwhile.js';

const SEAL = 'seal-live-lease';
const PIPELINE = 'live-lease';

for (const backend of BACKENDS) {
  describe(`a job giving up and another job's live lease (${backend.name} ledger)`, () => {
    const env = reviewingProvince(backend);
    const { commit, nextLicense, oneDelivery } = signedDeliveries(() => env.ledger, PIPELINE, SEAL);

    it('leaves a delivery another job claimed and sent after its read to that send’s submitted', async () => {
      const { ids, key } = await oneDelivery();
      let sent = (): void => undefined;
      const inFlight = new Promise<void>((resolve) => {
        sent = resolve;
      });
      let answer = (): void => undefined;
      const answered = new Promise<void>((resolve) => {
        answer = resolve;
      });
      // The other job's send: the platform has taken it; the answer reaches the job once released.
      const sender = meanwhile(env.province, 'deliver', async () => {
        sent();
        await answered;
      });
      let sending: Promise<DeliverResult> | undefined;
      // The job giving up has read the delivery pending; the other job claims it and sends it.
      const givingUp = meanwhile(env.ledger, 'ensureDeliveries', async () => {
        sending = deliverVersions(sender, SEAL, env.ledger, ids);
        await inFlight;
      });

      const dead = await deadLetterOpen(givingUp, ids, 'province', new Error('target province: 503'));
      answer();
      const result = await sending;

      expect(dead).toBe(0);
      expect(result).toMatchObject({ submitted: 1, dead: 0 });
      const [after] = await env.ledger.getDeliveries([key]);
      expect(after).toMatchObject({ state: 'submitted', platformId: `P-${key}`, reasons: [] });
      expect(await env.ledger.listDeadLetters({ keys: [key] })).toEqual([]);
    });

    it('leaves a delivery held behind a dead predecessor to the job sending it', async () => {
      const n = nextLicense();
      const [v1] = await commit([candidate({ n, pipeline: PIPELINE })]);
      const [v2] = await commit([candidate({ n, pipeline: PIPELINE, content: 'b' })]);
      const [first] = await env.ledger.ensureDeliveries([v1 as number], 'province');
      const [second] = await env.ledger.ensureDeliveries([v2 as number], 'province');
      const key = second?.key ?? '';
      // Another job read the predecessor landed (before a reconciliation reopened it, and another
      // send dead-lettered it) and is sending its successor.
      expect(await env.ledger.claimDeliveries([key], 'another-sender', 60_000)).toEqual([key]);
      await env.ledger.recordDeliveryOutcomes([{ key: first?.key ?? '', state: 'dead', reasons: ['zzbh'] }]);

      const result = await deliverVersions(env.province, SEAL, env.ledger, [v2 as number]);
      expect(result.dead).toBe(0);
      // The other job's send is answered.
      expect(
        await env.ledger.recordDeliveryOutcomes([
          { key, state: 'submitted', platformId: 'P-other', from: 'pending' },
        ]),
      ).toEqual([key]);
      const [after] = await env.ledger.getDeliveries([key]);
      expect(after).toMatchObject({ state: 'submitted', platformId: 'P-other', reasons: [] });
    });

    it('dead-letters a delivery whose sender’s lease ran out', async () => {
      const { ids, key } = await oneDelivery();
      expect(await env.ledger.claimDeliveries([key], 'a-sender-that-died', 1)).toEqual([key]);
      await new Promise((resolve) => setTimeout(resolve, 20));

      expect(await deadLetterOpen(env.ledger, ids, 'province', new Error('target province: 503'))).toBe(1);
      const [after] = await env.ledger.getDeliveries([key]);
      expect(after).toMatchObject({ state: 'dead', reasons: ['target province: 503'] });
    });

    it('leaves a send of its own whose answer was not written to a later job, not a dead letter', async () => {
      const { ids, key } = await oneDelivery();
      const [versionId] = ids;
      // The platform answers `submitted`; the ledger fails writing it, so the job's lease stays.
      const lost = meanwhile(
        env.ledger,
        'recordDeliveryOutcomes',
        async () => {
          throw new Error('ledger: connection reset');
        },
        { before: true, when: (outcomes) => Array.isArray(outcomes) && outcomes.length > 0 },
      );
      await expect(deliverVersions(env.province, SEAL, lost, ids, { leaseMs: 60_000 })).rejects.toThrow(
        'connection reset',
      );

      // Its last attempt gives up: the platform reviews the license, so no dead letter is written.
      expect(await deadLetterOpen(env.ledger, ids, 'province', new Error('ledger: connection reset'))).toBe(
        0,
      );
      const [held] = await env.ledger.getDeliveries([key]);
      expect(held).toMatchObject({ state: 'pending' });
      const owed = () =>
        env.ledger.undeliveredVersionIds({
          pipeline: PIPELINE,
          sealId: SEAL,
          target: 'province',
          limit: 1000,
        });
      expect(await owed()).not.toContain(versionId);

      // Once the lease ran out by the ledger's clock (its end moved back in the database), a sweep
      // queues it, and its job records the platform's answer.
      expect(await ageLeases(env.url, 'deliveries', 61_000, (q) => q.where('version_id', versionId))).toBe(1);
      expect(await owed()).toContain(versionId);
      expect(await deliverVersions(env.province, SEAL, env.ledger, ids)).toMatchObject({
        submitted: 1,
        dead: 0,
      });
      const [after] = await env.ledger.getDeliveries([key]);
      expect(after).toMatchObject({ state: 'submitted', platformId: `P-${key}` });
    });
  });
}
