/**
 * Two jobs may hold one key (a sweep's and a run's, which runs do not queue). When the one ending
 * its deferrals on its final attempt dead-letters a delivery whose status request failed, another
 * job's check may have answered since: a plain `submitted` (the review still pending) wins over
 * the older failure, wherever it falls between the failure's record and the dead-lettering, and
 * clears the failure from `lastError`. The counts name only the rows each write changed.
 * Each interleaving is made by hand, on both ledgers.
 */
import { describe, expect, it } from 'vitest';
import type { Ledger } from '../../ledger/ledger.js';
import { type DeliverResult, deliverVersions } from '../../pipelines/stages/deliver.js';
import { endDeferrals } from '../../pipelines/workers/deliver-deferrals.js';
import { BACKENDS } from '../ledger/backends.js';
import { candidates } from '../ledger/fixtures.js';
import { signedRuns } from '../ledger/signed-runs.js';
import { reviewingProvince } from '../platforms/scripted-province.js';
import { meanwhile } from '../support/meanwhile.js';

const SEAL = 'seal-poll-newer';
const FROZEN = 'platform answered with an unknown status `frozen`';

for (const backend of BACKENDS) {
  describe(`a newer status answer against a final attempt's dead letters (${backend.name} ledger)`, () => {
    const env = reviewingProvince(backend);
    const commit = signedRuns(() => env.ledger, 'poll-newer', SEAL);

    const unknownStatus = (k: string) => [{ key: k, status: 'frozen', platformId: `P-${k}`, errors: [] }];
    const underReview = (k: string) => [{ key: k, status: 'submitted', platformId: `P-${k}`, errors: [] }];

    /** Sends one new version (answered `submitted`), then a check whose status request fails. */
    async function failedCheck(seed: number): Promise<{ ids: number[]; key: string; polled: DeliverResult }> {
      const ids = await commit(candidates(seed, 1, { pipeline: 'poll-newer' }));
      expect(await deliverVersions(env.province, SEAL, env.ledger, ids)).toMatchObject({ submitted: 1 });
      env.status = unknownStatus;
      const polled = await deliverVersions(env.province, SEAL, env.ledger, ids);
      const key = polled.pollFailed?.keys[0] ?? '';
      expect(polled.pollFailed).toEqual({ keys: [key], reason: FROZEN });
      return { ids, key, polled };
    }

    /** The ledger, with `then` run once right after the first `getDeliveries` has read its rows. */
    const afterRead = (then: () => Promise<unknown>): Ledger => meanwhile(env.ledger, 'getDeliveries', then);

    it('another check answering `submitted` before the job reads its deliveries keeps the delivery under review', async () => {
      const { ids, key, polled } = await failedCheck(1);
      expect((await env.ledger.getDeliveries([key]))[0]?.lastError).toBe(FROZEN);

      // The other job's check: the review is still pending. The failure before it is stale.
      env.status = underReview;
      expect(await deliverVersions(env.province, SEAL, env.ledger, ids)).toMatchObject({ submitted: 1 });
      expect((await env.ledger.getDeliveries([key]))[0]).toMatchObject({
        state: 'submitted',
        lastError: null,
      });

      const end = await endDeferrals(env.ledger, 'province', polled, { deferrals: 200, final: true });
      // Under review again: left to the platform, not a failure of the job's.
      expect(end).toEqual({ dead: 0, left: 1 });
      expect((await env.ledger.getDeliveries([key]))[0]).toMatchObject({
        state: 'submitted',
        lastError: null,
      });
      expect(await env.ledger.listDeadLetters({ keys: [key] })).toEqual([]);
    });

    it('another check answering `submitted` between the read and the dead-lettering keeps it under review', async () => {
      const { ids, key, polled } = await failedCheck(2);
      // Read as submitted with the failure; the other job's answer comes in before the write.
      const racing = afterRead(async () => {
        env.status = underReview;
        await deliverVersions(env.province, SEAL, env.ledger, ids);
      });
      const end = await endDeferrals(racing, 'province', polled, { deferrals: 200, final: true });

      expect(end).toEqual({ dead: 0, left: 1 });
      const [after] = await env.ledger.getDeliveries([key]);
      expect(after).toMatchObject({ state: 'submitted', reasons: [], lastError: null });
      expect(await env.ledger.listDeadLetters({ keys: [key] })).toEqual([]);
    });

    it('counts as dead only the rows it dead-lettered: a rejection written first is the other job’s', async () => {
      const { key, polled } = await failedCheck(3);
      const racing = afterRead(() =>
        env.ledger.recordDeliveryOutcomes([{ key, state: 'dead', reasons: ['platform: rejected (zzbh)'] }]),
      );
      const end = await endDeferrals(racing, 'province', polled, { deferrals: 200, final: true });

      // Nothing of this job's still waits: no failure, and not one dead letter more than it wrote.
      expect(end).toEqual({ dead: 0, decided: 1 });
      const [after] = await env.ledger.getDeliveries([key]);
      expect(after).toMatchObject({ state: 'dead', reasons: ['platform: rejected (zzbh)'] });
    });

    it('with no newer answer, the failure is dead-lettered as before and counted once', async () => {
      const { key, polled } = await failedCheck(4);
      const end = await endDeferrals(env.ledger, 'province', polled, { deferrals: 200, final: true });
      expect(end).toEqual({ dead: 1 });
      expect((await env.ledger.getDeliveries([key]))[0]).toMatchObject({ state: 'dead', reasons: [FROZEN] });
    });

    it('an accepted or submitted answer clears the failure recorded before it; a rejection keeps it', async () => {
      const ids = await commit(candidates(5, 3, { pipeline: 'poll-newer' }));
      const [a, s, r] = (await env.ledger.ensureDeliveries(ids, 'province')).map((d) => d.key) as [
        string,
        string,
        string,
      ];
      await env.ledger.recordDeliveryAttempt([a, s, r], {
        error: 'target: province unreachable: ECONNRESET',
        reason: 'unreachable',
      });
      const changed = await env.ledger.recordDeliveryOutcomes([
        { key: a, state: 'accepted', platformId: 'P-a' },
        { key: s, state: 'submitted', platformId: 'P-s' },
        { key: r, state: 'rejected', reasons: ['E102'] },
      ]);
      expect(changed).toEqual([a, s, r]);
      const rows = new Map((await env.ledger.getDeliveries([a, s, r])).map((d) => [d.key, d.lastError]));
      expect(rows).toEqual(
        new Map([
          [a, null],
          [s, null],
          [r, 'target: province unreachable: ECONNRESET'],
        ]),
      );
      // An accepted row is never moved: a late outcome for it changes nothing and is not named.
      expect(await env.ledger.recordDeliveryOutcomes([{ key: a, state: 'dead' }])).toEqual([]);
    });
  });
}
