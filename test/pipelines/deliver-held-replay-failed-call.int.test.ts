/**
 * A deliver call whose status request found the issue accepted, and whose send of another license
 * in the same call then failed, replayed nothing: the revocation held behind that issue stayed dead
 * for good when the call was its job's last attempt (or failed for good), since the worker's
 * look-up of lost answers never asks about an issue already accepted. The call replays what it read
 * landed before it rethrows (pipelines/stages/deliver.ts), and hands those letters to the worker to
 * queue (held-replay.ts `reopenedBy`).
 */
import { describe, expect, it } from 'vitest';
import { HELD_REPLAY_ACTOR, reopenedBy } from '../../pipelines/held-replay.js';
import { deliverVersions } from '../../pipelines/stages/deliver.js';
import { endDeferrals } from '../../pipelines/workers/deliver-deferrals.js';
import { BACKENDS } from '../ledger/backends.js';
import { candidate } from '../ledger/fixtures.js';
import { signedRuns } from '../ledger/signed-runs.js';
import { reviewingProvince } from '../platforms/scripted-province.js';

const SEAL = 'seal-held-failed-call';
const PIPELINE = 'held-failed-call';

const underReview = (key: string): unknown[] => [
  { key, status: 'submitted', platformId: `P-${key}`, errors: [] },
];
const accepted = (key: string): unknown[] => [
  { key, status: 'accepted', platformId: `P-${key}`, errors: [] },
];

for (const backend of BACKENDS) {
  describe(`a failing call that found the issue accepted (${backend.name} ledger)`, () => {
    const env = reviewingProvince(backend);
    const commit = signedRuns(() => env.ledger, PIPELINE, SEAL);

    it('replays the revocation held behind it all the same', async () => {
      env.batch = underReview;
      env.status = underReview;
      const [v1] = await commit([candidate({ n: 1, pipeline: PIPELINE })]);
      await deliverVersions(env.province, SEAL, env.ledger, [v1 as number]);
      const [v2] = await commit([candidate({ n: 1, pipeline: PIPELINE, status: 'revoked' })]);
      const versionIds = [v1 as number, v2 as number];
      const checked = await deliverVersions(env.province, SEAL, env.ledger, versionIds);
      const end = await endDeferrals(env.ledger, 'province', checked, {
        deferrals: 200,
        final: true,
        versionIds,
      });
      expect(end).toMatchObject({ dead: 1, held: 1 });
      const [, held] = await env.ledger.ensureDeliveries(versionIds, 'province');
      const revocation = held?.key ?? '';

      // The review ends accepted; the send of another license in the same call gets no answer.
      const [other] = await commit([candidate({ n: 101, pipeline: PIPELINE })]);
      env.status = accepted;
      env.batch = () => [];
      const failed = await deliverVersions(env.province, SEAL, env.ledger, [
        v1 as number,
        other as number,
      ]).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(failed).toBeDefined();
      expect((await env.ledger.ensureDeliveries([v1 as number], 'province'))[0]?.state).toBe('accepted');

      const [row] = await env.ledger.getDeliveries([revocation]);
      expect(row).toMatchObject({ state: 'pending', reasons: [] });
      expect(reopenedBy(failed)).toEqual([
        { pipeline: PIPELINE, versionIds: [v2], licenseIds: [row?.licenseId] },
      ]);
      const replays = ((await env.ledger.licenseAudit(row?.licenseId ?? '')) ?? []).filter(
        (e) => e.action === 'replay',
      );
      expect(replays.map((e) => e.actor)).toEqual([HELD_REPLAY_ACTOR]);
    });
  });
}
