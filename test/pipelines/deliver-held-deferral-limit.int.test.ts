/**
 * A delivery held back behind an earlier version that has not landed (the platform still reviews
 * it) when its deliver job reaches its deferral limit on its last attempt becomes a dead letter
 * naming what it waited for, as `attempts` promises (docs/sync.md). Before, it stayed `pending`
 * with no job left to send it, until a sweep or the next scheduled run (deliver-deferrals.ts).
 */
import { describe, expect, it } from 'vitest';
import { deliverVersions } from '../../pipelines/stages/deliver.js';
import { endDeferrals } from '../../pipelines/workers/deliver-deferrals.js';
import { BACKENDS } from '../ledger/backends.js';
import { candidate } from '../ledger/fixtures.js';
import { signedRuns } from '../ledger/signed-runs.js';
import { reviewingProvince } from '../platforms/scripted-province.js';

const SEAL = 'seal-held-limit';
const PIPELINE = 'held-limit';

for (const backend of BACKENDS) {
  describe(`a delivery held back through its job's last attempt (${backend.name} ledger)`, () => {
    const env = reviewingProvince(backend);
    const commit = signedRuns(() => env.ledger, PIPELINE, SEAL);

    it('becomes a dead letter naming the earlier version it waited for; that one stays submitted', async () => {
      const [v1] = await commit([candidate({ n: 1, pipeline: PIPELINE })]);
      expect(await deliverVersions(env.province, SEAL, env.ledger, [v1 as number])).toMatchObject({
        submitted: 1,
      });
      // The platform keeps reviewing the issue; the revocation after it waits.
      env.status = (key) => [{ key, status: 'submitted', platformId: `P-${key}`, errors: [] }];
      const [v2] = await commit([candidate({ n: 1, pipeline: PIPELINE, status: 'revoked' })]);
      const versionIds = [v1 as number, v2 as number];
      const [first, second] = await env.ledger.ensureDeliveries(versionIds, 'province');
      expect(second?.version).toBe(2);

      const checked = await deliverVersions(env.province, SEAL, env.ledger, versionIds);
      expect(checked).toMatchObject({ submitted: 1, waiting: 1 });

      // An attempt that is not the last leaves it waiting for the next.
      const before = await endDeferrals(env.ledger, 'province', checked, {
        deferrals: 200,
        final: false,
        versionIds,
      });
      expect(before.dead).toBe(0);
      expect(before.error?.message).toBe('deliver: 2 deliveries to province still wait after 200 checks');
      expect((await env.ledger.getDeliveries([second?.key ?? ''])).map((d) => d.state)).toEqual(['pending']);

      const last = await endDeferrals(env.ledger, 'province', checked, {
        deferrals: 200,
        final: true,
        versionIds,
      });
      // The issue under review is not lost: it stays submitted, left to the platform's review; no
      // failure of the job's, which would fail its run (deliver-review-last-attempt).
      expect(last).toEqual({ dead: 1, held: 1, left: 1 });
      const rows = await env.ledger.getDeliveries([first?.key ?? '', second?.key ?? '']);
      expect(rows.map((r) => ({ key: r.key, state: r.state, reasons: r.reasons }))).toEqual([
        expect.objectContaining({ key: first?.key, state: 'submitted' }),
        {
          key: second?.key,
          state: 'dead',
          reasons: [
            `licbridge: still waits for ${first?.key} (still under review at the platform) after its deliver job's last attempt (200 checks); replay this once that one is accepted`,
          ],
        },
      ]);
      expect((await env.ledger.listDeadLetters({ keys: [second?.key ?? ''] })).map((d) => d.key)).toEqual([
        second?.key,
      ]);
    });

    it('leaves one another job holds a live lease on to that job', async () => {
      const [v1] = await commit([candidate({ n: 2, pipeline: PIPELINE })]);
      await deliverVersions(env.province, SEAL, env.ledger, [v1 as number]);
      env.status = (key) => [{ key, status: 'submitted', platformId: `P-${key}`, errors: [] }];
      const [v2] = await commit([candidate({ n: 2, pipeline: PIPELINE, status: 'revoked' })]);
      const checked = await deliverVersions(env.province, SEAL, env.ledger, [v2 as number]);
      expect(checked).toMatchObject({ waiting: 1 });
      const [held] = await env.ledger.ensureDeliveries([v2 as number], 'province');
      expect(await env.ledger.claimDeliveries([held?.key ?? ''], 'another-job', 60_000)).toEqual([held?.key]);

      const last = await endDeferrals(env.ledger, 'province', checked, {
        deferrals: 200,
        final: true,
        versionIds: [v2 as number],
      });
      // That job's to send: no dead letter, nor a failure of this job's.
      expect(last).toEqual({ dead: 0, left: 1 });
      expect((await env.ledger.getDeliveries([held?.key ?? ''])).map((d) => d.state)).toEqual(['pending']);
    });
  });
}
