/**
 * A revocation held back behind its issue while the platform reviewed the issue became a dead
 * letter at its job's last attempt (deliver-held-deferral-limit). Once a later check finds the issue
 * accepted, the revocation is replayed by licbridge itself, audited so, and handed to the caller to
 * queue (pipelines/held-replay.ts): before, it stayed dead and the platform showed the license valid
 * until someone ran `licbridge dlq replay`.
 */
import { describe, expect, it } from 'vitest';
import { buildIdentifier } from '../../catalog/identifier.js';
import type { VersionCandidate } from '../../ledger/ledger.js';
import { HELD_REPLAY_ACTOR } from '../../pipelines/held-replay.js';
import { deliverVersions } from '../../pipelines/stages/deliver.js';
import { endDeferrals } from '../../pipelines/workers/deliver-deferrals.js';
import { BACKENDS } from '../ledger/backends.js';
import { candidate, FIXTURE_ISSUER } from '../ledger/fixtures.js';
import { signedRuns } from '../ledger/signed-runs.js';
import { type ReviewingProvince, reviewingProvince } from '../platforms/scripted-province.js';

const SEAL = 'seal-held-replayed';
const PIPELINE = 'held-replayed';

const underReview = (key: string): unknown[] => [
  { key, status: 'submitted', platformId: `P-${key}`, errors: [] },
];
const accepted = (key: string): unknown[] => [
  { key, status: 'accepted', platformId: `P-${key}`, errors: [] },
];

/** License `c` renewed: a first version naming version 1 of `c`'s license as `previousIdentifier`. */
function renewalOf(n: number, c: VersionCandidate): VersionCandidate {
  const named = buildIdentifier({
    typeCode: '11370200MB1234567X001',
    issuerCode: FIXTURE_ISSUER,
    serial: c.licenseId.split('.').pop() as string,
    version: 1,
  });
  const r = candidate({ n, pipeline: PIPELINE, prefix: 'HR' });
  return { ...r, operation: 'renew', build: (v) => ({ ...r.build(v), previousIdentifier: named }) };
}

for (const backend of BACKENDS) {
  describe(`a revocation dead-lettered behind its issue under review (${backend.name} ledger)`, () => {
    const env = reviewingProvince(backend);
    const commit = signedRuns(() => env.ledger, PIPELINE, SEAL);

    /** License `n`'s issue submitted and under review, its revocation dead-lettered behind it. */
    async function heldDead(e: ReviewingProvince, n: number) {
      e.batch = underReview;
      e.status = underReview;
      const [v1] = await commit([candidate({ n, pipeline: PIPELINE })]);
      await deliverVersions(e.province, SEAL, e.ledger, [v1 as number]);
      const [v2] = await commit([candidate({ n, pipeline: PIPELINE, status: 'revoked' })]);
      const versionIds = [v1 as number, v2 as number];
      const checked = await deliverVersions(e.province, SEAL, e.ledger, versionIds);
      expect(checked).toMatchObject({ submitted: 1, waiting: 1 });
      const end = await endDeferrals(e.ledger, 'province', checked, {
        deferrals: 200,
        final: true,
        versionIds,
      });
      expect(end).toMatchObject({ dead: 1, held: 1 });
      const [issue, revocation] = await e.ledger.ensureDeliveries(versionIds, 'province');
      return {
        v1: v1 as number,
        v2: v2 as number,
        issue: issue?.key ?? '',
        revocation: revocation?.key ?? '',
      };
    }

    it('is replayed once the issue is accepted, and then sent', async () => {
      const { v1, v2, revocation } = await heldDead(env, 1);

      // A later check of the issue finds it accepted.
      env.status = accepted;
      const checked = await deliverVersions(env.province, SEAL, env.ledger, [v1]);
      const [row] = await env.ledger.getDeliveries([revocation]);
      expect(row).toMatchObject({ state: 'pending', reasons: [], attempts: 0 });
      const licenseId = row?.licenseId ?? '';
      expect(checked.reopened).toEqual([{ pipeline: PIPELINE, versionIds: [v2], licenseIds: [licenseId] }]);
      expect(await env.ledger.listDeadLetters({ keys: [revocation] })).toEqual([]);
      const replays = ((await env.ledger.licenseAudit(licenseId)) ?? []).filter((e) => e.action === 'replay');
      expect(replays.map((e) => ({ actor: e.actor, versions: e.versions }))).toEqual([
        { actor: HELD_REPLAY_ACTOR, versions: [2] },
      ]);

      // Owed in the ledger: a process that died before it queued it leaves it to a sweep, or to the
      // pipeline's next run (sweep.ts recoverPipeline reads these).
      expect(
        await env.ledger.undeliveredVersionIds({
          pipeline: PIPELINE,
          sealId: SEAL,
          target: 'province',
          limit: 10,
        }),
      ).toEqual([v2]);

      // Asked again, nothing more is replayed.
      expect((await deliverVersions(env.province, SEAL, env.ledger, [v1])).reopened).toBeUndefined();

      // The job queued for it sends it.
      env.batch = accepted;
      expect(await deliverVersions(env.province, SEAL, env.ledger, [v2])).toMatchObject({ accepted: 1 });
      expect((await env.ledger.getDeliveries([revocation]))[0]?.state).toBe('accepted');
    });

    it('is not replayed again once dead for another reason', async () => {
      const { v1, v2, revocation } = await heldDead(env, 2);
      env.status = accepted;
      expect((await deliverVersions(env.province, SEAL, env.ledger, [v1])).reopened).toHaveLength(1);
      // The platform refuses the revocation: an operator's to look at.
      env.batch = (key) => [{ key, status: 'rejected', errors: [{ code: 'E1', message: 'refused' }] }];
      expect(await deliverVersions(env.province, SEAL, env.ledger, [v2])).toMatchObject({ dead: 1 });
      expect((await deliverVersions(env.province, SEAL, env.ledger, [v1])).reopened).toBeUndefined();
      expect((await env.ledger.getDeliveries([revocation]))[0]?.state).toBe('dead');
    });

    it('stays dead while its issue is rejected rather than accepted', async () => {
      const { v1, revocation } = await heldDead(env, 3);
      env.status = (key) => [{ key, status: 'rejected', errors: [{ code: 'E1', message: 'refused' }] }];
      expect((await deliverVersions(env.province, SEAL, env.ledger, [v1])).reopened).toBeUndefined();
      expect((await env.ledger.getDeliveries([revocation]))[0]?.state).toBe('dead');
    });

    it('is not replayed when a later version is accepted after it', async () => {
      const { v1, revocation } = await heldDead(env, 4);
      const [v3] = await commit([candidate({ n: 4, pipeline: PIPELINE })]);
      const [later] = await env.ledger.ensureDeliveries([v3 as number], 'province');
      // Accepted by the platform some other way (an adoption, a repair): it holds the license as
      // version 3 says, and version 2 sent now would put older data on it.
      await env.ledger.recordDeliveryOutcomes([{ key: later?.key ?? '', state: 'accepted' }]);
      env.status = accepted;
      expect((await deliverVersions(env.province, SEAL, env.ledger, [v1])).reopened).toBeUndefined();
      expect((await env.ledger.getDeliveries([revocation]))[0]?.state).toBe('dead');
    });

    it('is replayed too when it renews a license the platform reviewed', async () => {
      env.batch = underReview;
      env.status = underReview;
      const before = candidate({ n: 50, pipeline: PIPELINE, prefix: 'HR' });
      const [v1] = await commit([before]);
      await deliverVersions(env.province, SEAL, env.ledger, [v1 as number]);
      const [renewal] = await commit([renewalOf(51, before)]);
      const versionIds = [v1 as number, renewal as number];
      const checked = await deliverVersions(env.province, SEAL, env.ledger, versionIds);
      expect(checked).toMatchObject({ submitted: 1, waiting: 1 });
      await endDeferrals(env.ledger, 'province', checked, { deferrals: 200, final: true, versionIds });
      const [, held] = await env.ledger.ensureDeliveries(versionIds, 'province');
      expect(held?.state).toBe('dead');

      env.status = accepted;
      const asked = await deliverVersions(env.province, SEAL, env.ledger, [v1 as number]);
      expect(asked.reopened?.map((j) => j.versionIds)).toEqual([[renewal]]);
      expect((await env.ledger.getDeliveries([held?.key ?? '']))[0]?.state).toBe('pending');
    });
  });
}
