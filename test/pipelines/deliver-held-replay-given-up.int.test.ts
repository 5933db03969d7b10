/**
 * A deliver job that gives up (its last attempt failed, or the failure is for good) dead-letters
 * its open deliveries, and replays the letters held behind its versions that landed
 * (workers/deliver-give-up.ts). Two ways the revocation held behind an issue stayed dead for good:
 * - the call had reopened it before it failed (its status request read the issue accepted, a later
 *   send failed), and the job dead-lettered it again with the other license's failure, a letter no
 *   longer held only and never replayed;
 * - the status request read the issue accepted and a later request in the call failed for good before
 *   the call had noted the issue as landed: the job replayed only when its look-up of lost answers
 *   found some accepted, and that look-up never asks about an issue accepted already.
 */
import { describe, expect, it } from 'vitest';
import type { TargetAdapter } from '../../adapters/platforms/target.js';
import { ErrorCodes, LicbridgeError } from '../../core/errors.js';
import { reopenedBy } from '../../pipelines/held-replay.js';
import { deliverVersions } from '../../pipelines/stages/deliver.js';
import { endDeferrals } from '../../pipelines/workers/deliver-deferrals.js';
import { giveUpDeliveries } from '../../pipelines/workers/deliver-give-up.js';
import { BACKENDS, quietLogger } from '../ledger/backends.js';
import { candidate } from '../ledger/fixtures.js';
import { signedRuns } from '../ledger/signed-runs.js';
import { type ReviewingProvince, reviewingProvince } from '../platforms/scripted-province.js';

const SEAL = 'seal-held-given-up';
const PIPELINE = 'held-given-up';

const underReview = (key: string): unknown[] => [
  { key, status: 'submitted', platformId: `P-${key}`, errors: [] },
];
const accepted = (key: string): unknown[] => [
  { key, status: 'accepted', platformId: `P-${key}`, errors: [] },
];

for (const backend of BACKENDS) {
  describe(`a deliver job giving up after its issue landed (${backend.name} ledger)`, () => {
    const env = reviewingProvince(backend);
    const commit = signedRuns(() => env.ledger, PIPELINE, SEAL);

    /** An issue under review, and its revocation dead-lettered behind it. */
    async function heldDead(e: ReviewingProvince, n: number) {
      e.batch = underReview;
      e.status = underReview;
      const [v1] = await commit([candidate({ n, pipeline: PIPELINE })]);
      await deliverVersions(e.province, SEAL, e.ledger, [v1 as number]);
      const [v2] = await commit([candidate({ n, pipeline: PIPELINE, status: 'revoked' })]);
      const versionIds = [v1 as number, v2 as number];
      const checked = await deliverVersions(e.province, SEAL, e.ledger, versionIds);
      const end = await endDeferrals(e.ledger, 'province', checked, {
        deferrals: 200,
        final: true,
        versionIds,
      });
      expect(end).toMatchObject({ dead: 1, held: 1 });
      const [, revocation] = await e.ledger.ensureDeliveries(versionIds, 'province');
      return { v1: v1 as number, v2: v2 as number, revocation: revocation?.key ?? '' };
    }

    const giveUp = (adapter: TargetAdapter, versionIds: number[], error: unknown) =>
      giveUpDeliveries(
        env.ledger,
        adapter,
        { target: 'province', sealId: SEAL, versionIds, error },
        { askLost: true, reopened: reopenedBy(error), replayable: () => true, log: quietLogger },
      );

    it('leaves a letter the failing call reopened to its replay', async () => {
      const { v1, v2, revocation } = await heldDead(env, 1);
      const [other] = await commit([candidate({ n: 101, pipeline: PIPELINE })]);
      env.status = accepted;
      env.batch = () => [];
      // A second job holding the same keys (a sweep's beside a run's), the revocation's among them.
      const versionIds = [v1, v2, other as number];
      const failed = await deliverVersions(env.province, SEAL, env.ledger, versionIds).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(reopenedBy(failed)?.[0]?.versionIds).toEqual([v2]);
      env.status = () => [];
      await giveUp(env.province, versionIds, failed);
      const [row] = await env.ledger.getDeliveries([revocation]);
      expect(row?.state).toBe('pending');
    });

    it('replays the letter when a later request of the call failed for good', async () => {
      const { v1, revocation } = await heldDead(env, 2);
      const [other] = await commit([candidate({ n: 102, pipeline: PIPELINE })]);
      // The other license's send goes unanswered once: its answer may be lost, so the next call
      // asks the platform about it after the status request.
      env.batch = () => [];
      await deliverVersions(env.province, SEAL, env.ledger, [other as number]).catch(() => undefined);
      env.status = accepted;
      let polls = 0;
      const province = env.province;
      const refusingSecondPoll = new Proxy(province, {
        get(t, prop) {
          if (prop === 'poll')
            return async (refs: never) => {
              polls += 1;
              if (polls >= 2)
                throw new LicbridgeError(ErrorCodes.TARGET_AUTH, 'province: credentials refused', {
                  retryable: false,
                });
              return province.poll?.(refs);
            };
          const v = Reflect.get(t, prop, t);
          return typeof v === 'function' ? v.bind(t) : v;
        },
      }) as TargetAdapter;
      const versionIds = [v1, other as number];
      const failed = await deliverVersions(refusingSecondPoll, SEAL, env.ledger, versionIds).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(failed).toBeInstanceOf(LicbridgeError);
      expect((await env.ledger.ensureDeliveries([v1], 'province'))[0]?.state).toBe('accepted');
      const given = await giveUp(refusingSecondPoll, versionIds, failed);
      expect(given.replayed?.flatMap((r) => r.versionIds)).toHaveLength(1);
      expect((await env.ledger.getDeliveries([revocation]))[0]?.state).toBe('pending');
    });
  });
}
