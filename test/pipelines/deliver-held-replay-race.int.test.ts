/**
 * A job giving up on a revocation held behind its issue read the issue under review, then
 * dead-lettered the revocation; another job's check accepting the issue between the two replayed
 * nothing (the letter was not dead yet when it looked), and the revocation stayed dead for good.
 * The giving-up job looks again once it has written (deliver-deferrals.ts): the issue landed, the
 * letter is replayed, and the worker queues it.
 */
import { describe, expect, it } from 'vitest';
import type { Ledger } from '../../ledger/ledger.js';
import { deliverVersions } from '../../pipelines/stages/deliver.js';
import { endDeferrals } from '../../pipelines/workers/deliver-deferrals.js';
import { BACKENDS } from '../ledger/backends.js';
import { candidate } from '../ledger/fixtures.js';
import { signedRuns } from '../ledger/signed-runs.js';
import { reviewingProvince } from '../platforms/scripted-province.js';

const SEAL = 'seal-held-race';
const PIPELINE = 'held-race';

const underReview = (key: string): unknown[] => [
  { key, status: 'submitted', platformId: `P-${key}`, errors: [] },
];
const accepted = (key: string): unknown[] => [
  { key, status: 'accepted', platformId: `P-${key}`, errors: [] },
];

for (const backend of BACKENDS) {
  describe(`a revocation given up on as its issue is accepted (${backend.name} ledger)`, () => {
    const env = reviewingProvince(backend);
    const commit = signedRuns(() => env.ledger, PIPELINE, SEAL);

    it('is replayed when the issue lands between the check and the dead letter', async () => {
      env.batch = underReview;
      env.status = underReview;
      const [v1] = await commit([candidate({ n: 1, pipeline: PIPELINE })]);
      await deliverVersions(env.province, SEAL, env.ledger, [v1 as number]);
      const [v2] = await commit([candidate({ n: 1, pipeline: PIPELINE, status: 'revoked' })]);
      const checked = await deliverVersions(env.province, SEAL, env.ledger, [v2 as number]);
      expect(checked).toMatchObject({ waiting: 1 });

      // Right after the giving-up job reads the issue under review, another job's check finds it
      // accepted: nothing is dead yet for it to replay.
      let landed = false;
      const ledger = new Proxy(env.ledger, {
        get(t, p, r) {
          const f = Reflect.get(t, p, r);
          if (p !== 'deliveryPredecessors') return typeof f === 'function' ? f.bind(t) : f;
          return async (...a: Parameters<Ledger['deliveryPredecessors']>) => {
            const read = await t.deliveryPredecessors(...a);
            if (!landed) {
              landed = true;
              env.status = accepted;
              const other = await deliverVersions(env.province, SEAL, t, [v1 as number]);
              expect(other.reopened).toBeUndefined();
            }
            return read;
          };
        },
      }) as Ledger;
      const end = await endDeferrals(ledger, 'province', checked, {
        deferrals: 200,
        final: true,
        versionIds: [v2 as number],
      });
      expect(landed).toBe(true);

      const [, revocation] = await env.ledger.ensureDeliveries([v1 as number, v2 as number], 'province');
      expect(revocation).toMatchObject({ state: 'pending', reasons: [] });
      expect(end.reopened).toEqual([
        { pipeline: PIPELINE, versionIds: [v2], licenseIds: [revocation?.licenseId] },
      ]);
      expect(end.dead).toBe(0);

      // The job queued for it sends it.
      env.batch = accepted;
      expect(await deliverVersions(env.province, SEAL, env.ledger, [v2 as number])).toMatchObject({
        accepted: 1,
      });
    });
  });
}
