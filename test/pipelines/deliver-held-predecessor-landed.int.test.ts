/**
 * A delivery held back behind its earlier version whose earlier version another job's check saw
 * accepted after this job's last check read it (two jobs may hold one key: a run's and a sweep's).
 * Its job's last attempt dead-lettered it all the same, its reason saying it waited for a license
 * file (`whenMissing: wait`), at a target that takes no files. Nothing holds it back any more: it
 * now stays `pending` for the next job to send (a sweep or the pipeline's next run queues it), and
 * a dead letter of a held delivery says only what it waits for (deliver-deferrals.ts).
 */
import { describe, expect, it } from 'vitest';
import { deliverVersions } from '../../pipelines/stages/deliver.js';
import { endDeferrals } from '../../pipelines/workers/deliver-deferrals.js';
import { BACKENDS } from '../ledger/backends.js';
import { candidate } from '../ledger/fixtures.js';
import { signedRuns } from '../ledger/signed-runs.js';
import { reviewingProvince } from '../platforms/scripted-province.js';

const SEAL = 'seal-held-landed';
const PIPELINE = 'held-landed';

for (const backend of BACKENDS) {
  describe(`a held delivery whose earlier version landed since (${backend.name} ledger)`, () => {
    const env = reviewingProvince(backend);
    const commit = signedRuns(() => env.ledger, PIPELINE, SEAL);

    it("is no dead letter at its job's last check: it stays pending, to be sent", async () => {
      const [v1] = await commit([candidate({ n: 1, pipeline: PIPELINE })]);
      expect(await deliverVersions(env.province, SEAL, env.ledger, [v1 as number])).toMatchObject({
        submitted: 1,
      });
      env.status = (key) => [{ key, status: 'submitted', platformId: `P-${key}`, errors: [] }];
      const [v2] = await commit([candidate({ n: 1, pipeline: PIPELINE, status: 'revoked' })]);
      const versionIds = [v1 as number, v2 as number];
      const [first, second] = await env.ledger.ensureDeliveries(versionIds, 'province');
      const checked = await deliverVersions(env.province, SEAL, env.ledger, versionIds);
      expect(checked).toMatchObject({ submitted: 1, waiting: 1 });

      // Another job's check finds the issue accepted, after this job's last check read it.
      expect(await env.ledger.recordDeliveryOutcomes([{ key: first?.key ?? '', state: 'accepted' }])).toEqual(
        [first?.key],
      );
      const last = await endDeferrals(env.ledger, 'province', checked, {
        deferrals: 200,
        final: true,
        versionIds,
      });
      expect(last.dead).toBe(0);
      expect(last.error).toBeUndefined();
      const [row] = await env.ledger.getDeliveries([second?.key ?? '']);
      expect(row?.state).toBe('pending');
      expect(await env.ledger.listDeadLetters({ keys: [second?.key ?? ''] })).toEqual([]);

      // The next job sends it.
      env.batch = (key) => [{ key, status: 'accepted', platformId: `P-${key}`, errors: [] }];
      expect(await deliverVersions(env.province, SEAL, env.ledger, [v2 as number])).toMatchObject({
        accepted: 1,
      });
    });
  });
}
