/**
 * A status request's failure is kept on a delivery only while it is still `submitted`: between the
 * request and the write another job's check may have decided it (a rejection dead-lettered with
 * the platform's reasons, a dead letter replayed and leased to a sender), and the failed request
 * says nothing about that delivery any more.
 */
import { describe, expect, it } from 'vitest';
import type { TargetAdapter } from '../../adapters/platforms/target.js';
import { deliverVersions } from '../../pipelines/stages/deliver.js';
import { endDeferrals } from '../../pipelines/workers/deliver-deferrals.js';
import { BACKENDS } from '../ledger/backends.js';
import { candidates } from '../ledger/fixtures.js';
import { signedRuns } from '../ledger/signed-runs.js';
import { reviewingProvince } from '../platforms/scripted-province.js';
import { meanwhile } from '../support/meanwhile.js';

const SEAL = 'seal-poll-races';

for (const backend of BACKENDS) {
  describe(`a status request failing for a delivery decided meanwhile (${backend.name} ledger)`, () => {
    const env = reviewingProvince(backend);
    const commit = signedRuns(() => env.ledger, 'poll-races', SEAL);

    /**
     * The province target, `step` (another job's writes) run once its first status answer is in
     * and before the deliver stage writes any of it.
     */
    const racing = (step: () => Promise<void>): TargetAdapter =>
      meanwhile(env.province as TargetAdapter, 'poll', step);

    it('leaves a delivery another check dead-lettered as that check wrote it', async () => {
      const ids = await commit(candidates(1, 1, { pipeline: 'poll-races' }));
      expect(await deliverVersions(env.province, SEAL, env.ledger, ids)).toMatchObject({ submitted: 1 });
      const [row] = await env.ledger.ensureDeliveries(ids, 'province');
      const key = row?.key ?? '';

      env.status = (k) => [{ key: k, status: 'frozen', platformId: `P-${k}`, errors: [] }];
      const province = racing(async () => {
        await env.ledger.recordDeliveryOutcomes([
          { key, state: 'dead', reasons: ['platform: rejected (zzbh)'] },
        ]);
      });
      await deliverVersions(province, SEAL, env.ledger, ids);

      const [after] = await env.ledger.getDeliveries([key]);
      expect(after).toMatchObject({ state: 'dead', reasons: ['platform: rejected (zzbh)'], lastError: null });
      expect(after?.attempts).toBe((row?.attempts ?? 0) + 1);
    });

    it('leaves a replayed delivery, leased to its sender, without the failed request', async () => {
      const ids = await commit(candidates(2, 1, { pipeline: 'poll-races' }));
      await deliverVersions(env.province, SEAL, env.ledger, ids);
      const [row] = await env.ledger.ensureDeliveries(ids, 'province');
      const key = row?.key ?? '';

      env.status = (k) => [{ key: k, status: 'frozen', platformId: `P-${k}`, errors: [] }];
      const province = racing(async () => {
        await env.ledger.recordDeliveryOutcomes([
          { key, state: 'dead', reasons: ['platform: rejected (zzbh)'] },
        ]);
        await env.ledger.replayDeadLetters([key]);
        expect(await env.ledger.claimDeliveries([key], 'another-sender', 60_000)).toEqual([key]);
      });
      await deliverVersions(province, SEAL, env.ledger, ids);

      const [after] = await env.ledger.getDeliveries([key]);
      // Sent again from scratch by its sender: not a delivery whose answer may have been lost.
      expect(after).toMatchObject({ state: 'pending', attempts: 0, lastError: null });
    });
    it('the job ending its deferrals dead-letters only what is still submitted when it writes', async () => {
      const ids = await commit(candidates(3, 1, { pipeline: 'poll-races' }));
      await deliverVersions(env.province, SEAL, env.ledger, ids);
      env.status = (k) => [{ key: k, status: 'frozen', platformId: `P-${k}`, errors: [] }];
      const polled = await deliverVersions(env.province, SEAL, env.ledger, ids);
      const key = polled.pollFailed?.keys[0] ?? '';
      expect(polled.pollFailed?.keys).toEqual([key]);

      // Read as submitted; another job's check gets the platform's rejection in before the write.
      const reading = meanwhile(env.ledger, 'getDeliveries', async () => {
        await env.ledger.recordDeliveryOutcomes([
          { key, state: 'dead', reasons: ['platform: rejected (zzbh)'] },
        ]);
      });
      await endDeferrals(reading, 'province', polled, { deferrals: 200, final: true });

      const [after] = await env.ledger.getDeliveries([key]);
      expect(after).toMatchObject({ state: 'dead', reasons: ['platform: rejected (zzbh)'] });
    });
  });
}
