/**
 * A deliver call sends a license's versions in waves, each after the one holding its predecessor
 * (stages/delivery-order.ts). A later wave was held back whole when any delivery of an earlier one
 * did not land, whatever its license: a revocation whose own issue the platform had just accepted
 * waited because another license of the batch was rejected. It went only at the job's next check,
 * and when that call was its job's last check on its last attempt, it became a dead letter, its
 * reason saying it waited for a license file (deliver-deferrals.ts), with its issue accepted.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DeliveryItem, DeliveryOutcome, TargetAdapter } from '../../adapters/platforms/target.js';
import type { Ledger } from '../../ledger/ledger.js';
import { openLedger } from '../../ledger/open-ledger.js';
import { deliverVersions } from '../../pipelines/stages/deliver.js';
import { endDeferrals } from '../../pipelines/workers/deliver-deferrals.js';
import { BACKENDS, quietLogger, type TestDatabase } from '../ledger/backends.js';
import { candidate } from '../ledger/fixtures.js';
import { signedRuns } from '../ledger/signed-runs.js';

const SEAL = 'seal-wave';
const PIPELINE = 'wave-license';

for (const backend of BACKENDS) {
  describe(`waves of one deliver call (${backend.name} ledger)`, () => {
    let db: TestDatabase;
    let ledger: Ledger;
    const sent: string[] = [];
    let refused = '';
    /** A platform that accepts every license but one, which it rejects. */
    const province: TargetAdapter = {
      name: 'province',
      kind: 'rest-json',
      deliver: async (items: readonly DeliveryItem[]): Promise<DeliveryOutcome[]> =>
        items.map((i) => {
          sent.push(i.key);
          return i.licenseId === refused
            ? { key: i.key, state: 'rejected', reasons: ['platform: zzbh: not a valid number'] }
            : { key: i.key, state: 'accepted', platformId: `P-${i.key}` };
        }),
      close: async () => undefined,
    };
    const commit = signedRuns(() => ledger, PIPELINE, SEAL);

    beforeAll(async () => {
      db = await backend.create();
      ledger = await openLedger(db.url, { logger: quietLogger });
    });
    afterAll(async () => {
      await ledger?.close();
      await db?.dispose();
    });

    it("sends a license's next version once its own earlier one landed, whatever another license's answer", async () => {
      const [issue, other] = await commit([
        candidate({ n: 1, pipeline: PIPELINE }),
        candidate({ n: 2, pipeline: PIPELINE }),
      ]);
      const [revoke] = await commit([candidate({ n: 1, pipeline: PIPELINE, status: 'revoked' })]);
      const ids = [issue as number, other as number, revoke as number];
      const [first, rejected, second] = await ledger.ensureDeliveries(ids, 'province');
      refused = rejected?.licenseId ?? '';

      const result = await deliverVersions(province, SEAL, ledger, ids);
      expect(result).toMatchObject({ accepted: 2, dead: 1, waiting: 0 });
      expect(sent.indexOf(second?.key ?? '')).toBeGreaterThan(sent.indexOf(first?.key ?? ''));

      // Its job's last check on its last attempt leaves the revocation as it landed.
      await endDeferrals(ledger, 'province', result, { deferrals: 200, final: true, versionIds: ids });
      const rows = await ledger.getDeliveries([first?.key ?? '', second?.key ?? '']);
      expect(rows.map((r) => r.state)).toEqual(['accepted', 'accepted']);
    });
  });
}
