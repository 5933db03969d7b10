/**
 * A delivery whose version the pipeline's current seal has not signed (the pipeline's signer or
 * its `sealId` changed after the version was signed, its deliver job still queued) is not sent: the
 * platform would take a license under a seal the pipeline no longer signs with. It used to throw
 * out of the whole wave (deliver-items.ts), so every license of the job was retried with it and, on
 * the job's last attempt, dead-lettered for that one version's lack. It is now left `pending`, with
 * no lease and no attempt counted, for the sign stage (a sweep or the pipeline's next run signs what
 * the current seal has not, and queues its delivery), and the rest of the wave is delivered.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DeliveryItem, DeliveryOutcome, TargetAdapter } from '../../adapters/platforms/target.js';
import type { Ledger } from '../../ledger/ledger.js';
import { openLedger } from '../../ledger/open-ledger.js';
import { deliverVersions } from '../../pipelines/stages/deliver.js';
import { endDeferrals } from '../../pipelines/workers/deliver-deferrals.js';
import { BACKENDS, quietLogger, type TestDatabase } from '../ledger/backends.js';
import { candidate, signature } from '../ledger/fixtures.js';
import { signedRuns } from '../ledger/signed-runs.js';

const OLD_SEAL = 'seal-before';
const NEW_SEAL = 'seal-now';
const PIPELINE = 'seal-changed';

for (const backend of BACKENDS) {
  describe(`deliveries of versions the current seal has not signed (${backend.name} ledger)`, () => {
    let db: TestDatabase;
    let ledger: Ledger;
    const sent: string[] = [];
    /** Licenses the platform takes under review (`submitted`) rather than accepting at once. */
    const reviewed = new Set<string>();
    const province: TargetAdapter = {
      name: 'province',
      kind: 'rest-json',
      deliver: async (items: readonly DeliveryItem[]): Promise<DeliveryOutcome[]> =>
        items.map((i) => {
          sent.push(i.key);
          return reviewed.has(i.licenseId)
            ? { key: i.key, state: 'submitted', platformId: `P-${i.key}` }
            : { key: i.key, state: 'accepted', platformId: `P-${i.key}` };
        }),
      close: async () => undefined,
    };
    const commit = signedRuns(() => ledger, PIPELINE, OLD_SEAL);

    beforeAll(async () => {
      db = await backend.create();
      ledger = await openLedger(db.url, { logger: quietLogger });
    });
    afterAll(async () => {
      await ledger?.close();
      await db?.dispose();
    });

    it('delivers the rest of the wave and leaves that one pending, unleased, for the sign stage', async () => {
      const [resealed, unsealed] = await commit([
        candidate({ n: 1, pipeline: PIPELINE }),
        candidate({ n: 2, pipeline: PIPELINE }),
      ]);
      const ids = [resealed as number, unsealed as number];
      // The sign stage has signed one of them with the new seal since; not the other yet.
      await ledger.recordSignatures([signature(resealed as number, NEW_SEAL)]);
      const [landed, left] = await ledger.ensureDeliveries(ids, 'province');

      const result = await deliverVersions(province, NEW_SEAL, ledger, ids);
      expect(result).toMatchObject({ accepted: 1, dead: 0, waiting: 0, unsigned: [left?.key] });
      expect(sent).toEqual([landed?.key]);
      const [row] = await ledger.getDeliveries([left?.key ?? '']);
      expect(row).toMatchObject({ state: 'pending', attempts: 0 });
      // Not leased: another job (the one the sign stage queues once it signs it) may send it now.
      expect(await ledger.claimDeliveries([left?.key ?? ''], 'next-job', 60_000)).toEqual([left?.key]);
      await ledger.releaseDeliveries([left?.key ?? ''], 'next-job');

      // Signed with the current seal, it goes.
      await ledger.recordSignatures([signature(unsealed as number, NEW_SEAL)]);
      expect(await deliverVersions(province, NEW_SEAL, ledger, ids)).toMatchObject({
        accepted: 1,
        skipped: 1,
      });
      expect((await ledger.getDeliveries([left?.key ?? ''])).map((d) => d.state)).toEqual(['accepted']);
    });

    it("is no dead letter at its job's last check, beside a delivery held back there", async () => {
      const [issue] = await commit([candidate({ n: 3, pipeline: PIPELINE })]);
      await ledger.recordSignatures([signature(issue as number, NEW_SEAL)]);
      const reviewedLicense = (await ledger.ensureDeliveries([issue as number], 'province'))[0]?.licenseId;
      reviewed.add(reviewedLicense ?? '');
      expect(await deliverVersions(province, NEW_SEAL, ledger, [issue as number])).toMatchObject({
        submitted: 1,
      });
      const [revoke] = await commit([candidate({ n: 3, pipeline: PIPELINE, status: 'revoked' })]);
      await ledger.recordSignatures([signature(revoke as number, NEW_SEAL)]);
      const [unsealed] = await commit([candidate({ n: 4, pipeline: PIPELINE })]);
      const versionIds = [revoke as number, unsealed as number];
      const [held, left] = await ledger.ensureDeliveries(versionIds, 'province');

      const result = await deliverVersions(province, NEW_SEAL, ledger, versionIds);
      expect(result).toMatchObject({ waiting: 1, unsigned: [left?.key] });
      const end = await endDeferrals(ledger, 'province', result, { deferrals: 200, final: true, versionIds });
      expect(end).toEqual({ dead: 1, held: 1 });
      const rows = await ledger.getDeliveries([held?.key ?? '', left?.key ?? '']);
      expect(rows.map((r) => r.state)).toEqual(['dead', 'pending']);
    });
  });
}
