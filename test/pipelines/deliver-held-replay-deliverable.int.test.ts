/**
 * licbridge replays a held letter only where `licbridge dlq replay` would: its pipeline still
 * delivers to the target (dead-letters-taken.ts `deliverable`). A successor of another pipeline
 * whose pipeline no longer lists the target, or was removed, was reopened and queued; removed, its
 * job failed on the pipeline's config and the delivery stayed `pending`, out of the dead-letter
 * list, where no sweep reads it.
 */
import { describe, expect, it } from 'vitest';
import type { Config } from '../../config/types.js';
import { deliverable } from '../../pipelines/dead-letters-taken.js';
import { deliverVersions } from '../../pipelines/stages/deliver.js';
import { endDeferrals } from '../../pipelines/workers/deliver-deferrals.js';
import { giveUpDeliveries } from '../../pipelines/workers/deliver-give-up.js';
import { BACKENDS, quietLogger } from '../ledger/backends.js';
import { candidate } from '../ledger/fixtures.js';
import { signedRuns } from '../ledger/signed-runs.js';
import { reviewingProvince } from '../platforms/scripted-province.js';

const SEAL = 'seal-held-deliverable';
const PIPELINE = 'held-deliverable';

const underReview = (key: string): unknown[] => [
  { key, status: 'submitted', platformId: `P-${key}`, errors: [] },
];
const accepted = (key: string): unknown[] => [
  { key, status: 'accepted', platformId: `P-${key}`, errors: [] },
];

/** A config whose pipelines are `pipelines`, the province target still configured. */
const configWith = (pipelines: Record<string, { targets: readonly string[] }>) =>
  ({ pipelines, targets: { province: { kind: 'rest-json' } } }) as unknown as Config;

for (const backend of BACKENDS) {
  describe(`a held letter whose pipeline no longer delivers to the target (${backend.name} ledger)`, () => {
    const env = reviewingProvince(backend);
    const commit = signedRuns(() => env.ledger, PIPELINE, SEAL);

    async function heldDead(n: number) {
      env.batch = underReview;
      env.status = underReview;
      const [v1] = await commit([candidate({ n, pipeline: PIPELINE })]);
      await deliverVersions(env.province, SEAL, env.ledger, [v1 as number]);
      const [v2] = await commit([candidate({ n, pipeline: PIPELINE, status: 'revoked' })]);
      const versionIds = [v1 as number, v2 as number];
      const checked = await deliverVersions(env.province, SEAL, env.ledger, versionIds);
      expect(
        await endDeferrals(env.ledger, 'province', checked, { deferrals: 200, final: true, versionIds }),
      ).toMatchObject({
        dead: 1,
      });
      const [issue, revocation] = await env.ledger.ensureDeliveries(versionIds, 'province');
      return { v1: v1 as number, issue: issue?.key ?? '', revocation: revocation?.key ?? '' };
    }

    for (const [why, pipelines] of [
      ['removed', {}],
      ['no longer listing the target', { [PIPELINE]: { targets: ['archive'] } }],
    ] as const)
      it(`stays dead, its pipeline ${why}`, async () => {
        const { v1, issue, revocation } = await heldDead(why === 'removed' ? 1 : 2);
        await env.ledger.recordDeliveryOutcomes([{ key: issue, state: 'accepted' }]);
        // A job holding the issue gives up (deliver-worker.ts): what it replays is the worker's to queue.
        const given = await giveUpDeliveries(
          env.ledger,
          env.province,
          { target: 'province', sealId: SEAL, versionIds: [v1], error: new Error('no answer') },
          {
            askLost: false,
            reopened: undefined,
            replayable: (d) => deliverable(configWith(pipelines), d),
            log: quietLogger,
          },
        );
        expect(given.replayed).toBeUndefined();
        expect((await env.ledger.getDeliveries([revocation]))[0]?.state).toBe('dead');
      });

    it('stays dead when a call reads its issue accepted and its pipeline is not deliverable', async () => {
      const { v1, revocation } = await heldDead(3);
      env.status = accepted;
      const checked = await deliverVersions(env.province, SEAL, env.ledger, [v1], {
        replayable: () => false,
      });
      expect(checked.reopened).toBeUndefined();
      expect((await env.ledger.getDeliveries([revocation]))[0]?.state).toBe('dead');
    });
  });
}
