/**
 * A send whose answer was lost may have landed all the same: the next try asks the platform
 * before sending again. A platform that answers that it holds the key under review (`submitted`)
 * has it: the delivery is kept `submitted`, with the platform's id, and asked about again later,
 * not sent a second time — which the platform would receive twice, and answer as a duplicate.
 * The status request names the delivery key, its version in it: an answer about an earlier version
 * of the license (an issue still under review) holds nothing of a later one, which is sent again.
 */
import { describe, expect, it } from 'vitest';
import { deliverVersions } from '../../pipelines/stages/deliver.js';
import { BACKENDS } from '../ledger/backends.js';
import { candidate } from '../ledger/fixtures.js';
import { signedDeliveries } from '../ledger/signed-runs.js';
import { reviewingProvince, submittedWithId } from '../platforms/scripted-province.js';

const SEAL = 'seal-lost-answer';

for (const backend of BACKENDS) {
  describe(`a lost answer, the key under review at the platform (${backend.name} ledger)`, () => {
    const env = reviewingProvince(backend);
    const signed = signedDeliveries(() => env.ledger, 'lost-answer', SEAL);

    const batches = () => env.server.seen.filter((r) => r.url.endsWith('/licenses/batch')).length;

    it('is kept submitted and not sent again', async () => {
      const { ids, key } = await signed.oneDelivery();
      // The platform takes the batch, but its answer holds no result for the key.
      env.batch = () => [];
      await expect(deliverVersions(env.province, SEAL, env.ledger, ids)).rejects.toMatchObject({
        retryable: true,
      });
      expect(batches()).toBe(1);
      expect((await env.ledger.getDeliveries([key]))[0]).toMatchObject({ state: 'pending', attempts: 1 });

      env.batch = submittedWithId;
      // An answer saying the platform holds the key describes the status request: no duplicate send.
      env.status = (k) => [
        { key: k, status: 'submitted', platformId: `P-${k}`, errors: [], duplicate: true },
      ];
      expect(await deliverVersions(env.province, SEAL, env.ledger, ids)).toMatchObject({ submitted: 1 });
      expect(batches()).toBe(1);
      expect((await env.ledger.getDeliveries([key]))[0]).toMatchObject({
        state: 'submitted',
        platformId: `P-${key}`,
      });
      expect((await env.ledger.getDeliveries([key]))[0]?.receipt?.duplicate).not.toBe(true);

      // The review ends: the next check records the verdict, still without a second send.
      env.status = (k) => [{ key: k, status: 'accepted', platformId: `P-${k}`, errors: [] }];
      expect(await deliverVersions(env.province, SEAL, env.ledger, ids)).toMatchObject({ skipped: 1 });
      expect(batches()).toBe(1);
      expect((await env.ledger.getDeliveries([key]))[0]?.state).toBe('accepted');
    });

    it('an answer under review about an earlier version holds nothing of a revocation: it is sent again', async () => {
      const n = signed.nextLicense();
      const issued = await signed.commit([candidate({ n, pipeline: 'lost-answer' })]);
      env.batch = (k) => [{ key: k, status: 'accepted', platformId: `P-${k}`, errors: [] }];
      expect(await deliverVersions(env.province, SEAL, env.ledger, issued)).toMatchObject({ accepted: 1 });
      const [issue] = await env.ledger.ensureDeliveries(issued, 'province');
      const revoked = await signed.commit([candidate({ n, pipeline: 'lost-answer', status: 'revoked' })]);
      expect((await env.ledger.getVersions(revoked))[0]).toMatchObject({ version: 2, operation: 'revoke' });
      const [revocation] = await env.ledger.ensureDeliveries(revoked, 'province');
      const key = revocation?.key ?? '';
      const sent = batches();
      env.batch = () => [];
      await expect(deliverVersions(env.province, SEAL, env.ledger, revoked)).rejects.toMatchObject({
        retryable: true,
      });
      expect(batches()).toBe(sent + 1);

      // The platform answers about the issue, still under its review, whatever key it is asked about.
      env.status = () => [{ key: issue?.key, status: 'submitted', platformId: 'P-issue', errors: [] }];
      env.batch = submittedWithId;
      expect(await deliverVersions(env.province, SEAL, env.ledger, revoked)).toMatchObject({ submitted: 1 });
      expect(batches()).toBe(sent + 2);
      expect((await env.ledger.getDeliveries([key]))[0]).toMatchObject({
        state: 'submitted',
        platformId: `P-${key}`,
      });
    });
  });
}
