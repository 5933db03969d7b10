/**
 * After lost answers, a target that reads back what it stored (the front database) is asked
 * whether the deliveries the platform holds under review are stored as sent. When that read-back
 * fails for good (a refused certificate, a config problem met as the connection opens again), the
 * job fails with it — but what the status request already found is recorded first: a delivery the
 * platform answered `accepted` stays accepted in the ledger, not dead-lettered with the rest of the
 * job's deliveries as though the platform held none of them.
 */
import { describe, expect, it } from 'vitest';
import { ErrorCodes, LicbridgeError } from '../../core/errors.js';
import { deliverVersions } from '../../pipelines/stages/deliver.js';
import { sqliteBackend } from '../ledger/backends.js';
import { signedDeliveries } from '../ledger/signed-runs.js';
import { reviewingProvince } from '../platforms/scripted-province.js';

const SEAL = 'seal-read-back-refused';

describe('a read-back refused for good after lost answers', () => {
  const env = reviewingProvince(sqliteBackend);
  const signed = signedDeliveries(() => env.ledger, 'read-back-refused', SEAL);

  it('fails the job with its error, the acceptances the status request found recorded first', async () => {
    const first = await signed.oneDelivery();
    const second = await signed.oneDelivery();
    const ids = [...first.ids, ...second.ids];
    // Both sent, both answers lost.
    env.batch = () => [];
    await expect(deliverVersions(env.province, SEAL, env.ledger, ids)).rejects.toMatchObject({
      retryable: true,
    });
    // Asked, the platform holds the first (accepted) and reviews the second.
    env.status = (k) => [
      { key: k, status: k === first.key ? 'accepted' : 'submitted', platformId: `P-${k}`, errors: [] },
    ];
    const refused = new LicbridgeError(ErrorCodes.TARGET_AUTH, 'target province: certificate refused');
    const readBack = env.province as unknown as { heldAsSent?: () => Promise<never> };
    readBack.heldAsSent = () => Promise.reject(refused);
    try {
      await expect(deliverVersions(env.province, SEAL, env.ledger, ids)).rejects.toBe(refused);
    } finally {
      delete readBack.heldAsSent;
    }
    const [a, b] = await env.ledger.getDeliveries([first.key, second.key]);
    expect(a).toMatchObject({ state: 'accepted', platformId: `P-${first.key}` });
    expect(b?.state).toBe('pending');
  });
});
