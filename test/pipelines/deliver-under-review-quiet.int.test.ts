/**
 * A platform may review a delivery for days, and every job that holds it asks again. An answer
 * that says only what the ledger holds already (still `submitted`, the same platform id or none)
 * writes nothing: no row write, no audit entry (the audit log is kept 20 years). What does change
 * (the platform id given for the first time, a failed check's reason to clear, the verdict) is
 * written, and audited, once.
 */
import { describe, expect, it } from 'vitest';
import type { StoredDelivery } from '../../ledger/ledger.js';
import { deliverVersions } from '../../pipelines/stages/deliver.js';
import { BACKENDS } from '../ledger/backends.js';
import { signedDeliveries } from '../ledger/signed-runs.js';
import { reviewingProvince, submittedWithId } from '../platforms/scripted-province.js';

const SEAL = 'seal-under-review';

for (const backend of BACKENDS) {
  describe(`status answers of a review still pending (${backend.name} ledger)`, () => {
    const env = reviewingProvince(backend);
    const signed = signedDeliveries(() => env.ledger, 'under-review', SEAL);

    const underReview = (id: string | null) => (k: string) => [
      { key: k, status: 'submitted', platformId: id === null ? null : `${id}-${k}`, errors: [] },
    ];
    const row = async (key: string): Promise<StoredDelivery | undefined> =>
      (await env.ledger.getDeliveries([key]))[0];
    /** The license's `deliver` entries, as their states. */
    const delivered = async (key: string): Promise<string[]> => {
      const licenseId = key.split(':')[0] ?? '';
      const entries = (await env.ledger.licenseAudit(licenseId)) ?? [];
      return entries.filter((e) => e.action === 'deliver').map((e) => JSON.parse(e.detail).state);
    };

    it('writes and audits nothing while the answer repeats what the ledger holds; the verdict once', async () => {
      env.batch = submittedWithId;
      const { ids, key } = await signed.oneDelivery();
      expect(await deliverVersions(env.province, SEAL, env.ledger, ids)).toMatchObject({ submitted: 1 });
      const sent = await row(key);
      expect(sent).toMatchObject({ state: 'submitted', platformId: `P-${key}` });
      expect(await delivered(key)).toEqual(['submitted']);

      // The same platform id, then none at all, then `pending` (another name of the same state).
      for (const status of [
        underReview('P'),
        underReview(null),
        (k: string) => [{ key: k, status: 'pending', errors: [] }],
      ]) {
        env.status = status;
        expect(await deliverVersions(env.province, SEAL, env.ledger, ids)).toMatchObject({ submitted: 1 });
      }
      expect(await row(key)).toEqual(sent);
      expect(await delivered(key)).toEqual(['submitted']);

      env.status = (k) => [{ key: k, status: 'accepted', platformId: `P-${k}`, errors: [] }];
      expect(await deliverVersions(env.province, SEAL, env.ledger, ids)).toMatchObject({ skipped: 1 });
      expect(await row(key)).toMatchObject({ state: 'accepted', platformId: `P-${key}` });
      expect(await delivered(key)).toEqual(['submitted', 'accepted']);
    });

    it('records a platform id given for the first time, once', async () => {
      env.batch = (k) => [{ key: k, status: 'submitted', errors: [] }];
      const { ids, key } = await signed.oneDelivery();
      await deliverVersions(env.province, SEAL, env.ledger, ids);
      expect(await row(key)).toMatchObject({ state: 'submitted', platformId: null });

      env.status = underReview('Q');
      await deliverVersions(env.province, SEAL, env.ledger, ids);
      const named = await row(key);
      expect(named).toMatchObject({ state: 'submitted', platformId: `Q-${key}` });
      await deliverVersions(env.province, SEAL, env.ledger, ids);
      expect(await row(key)).toEqual(named);
      expect(await delivered(key)).toEqual(['submitted', 'submitted']);
    });

    it('clears a failed check’s reason once, then is quiet again', async () => {
      env.batch = submittedWithId;
      const { ids, key } = await signed.oneDelivery();
      await deliverVersions(env.province, SEAL, env.ledger, ids);
      env.status = (k) => [{ key: k, status: 'frozen', platformId: `P-${k}`, errors: [] }];
      await deliverVersions(env.province, SEAL, env.ledger, ids);
      expect((await row(key))?.lastError).toBe('platform answered with an unknown status `frozen`');

      env.status = underReview('P');
      await deliverVersions(env.province, SEAL, env.ledger, ids);
      const cleared = await row(key);
      expect(cleared).toMatchObject({ state: 'submitted', lastError: null });
      await deliverVersions(env.province, SEAL, env.ledger, ids);
      expect(await row(key)).toEqual(cleared);
      expect(await delivered(key)).toEqual(['submitted', 'submitted']);
    });
  });
}
