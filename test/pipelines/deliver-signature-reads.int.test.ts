/**
 * A deliver call reads each version's signatures once. It read them once to leave out the versions
 * the pipeline's current seal has not signed (stages/deliver-items.ts) and again in every wave to
 * build the items it sends: a license's issue and revocation in one call cost three reads of the
 * signatures table where one does. The items still carry the current seal's signature, not another
 * seal's of the same version, and a version the current seal has not signed stays `pending`.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { DeliveryItem, DeliveryOutcome, TargetAdapter } from '../../adapters/platforms/target.js';
import type { Ledger } from '../../ledger/ledger.js';
import { openLedger } from '../../ledger/open-ledger.js';
import { deliverVersions } from '../../pipelines/stages/deliver.js';
import { BACKENDS, quietLogger, type TestDatabase } from '../ledger/backends.js';
import { candidate, signature } from '../ledger/fixtures.js';
import { signedRuns } from '../ledger/signed-runs.js';

const OLD_SEAL = 'seal-before';
const SEAL = 'seal-reads';
const PIPELINE = 'signature-reads';

for (const backend of BACKENDS) {
  describe(`signatures a deliver call reads (${backend.name} ledger)`, () => {
    let db: TestDatabase;
    let ledger: Ledger;
    const sent: DeliveryItem[] = [];
    const province: TargetAdapter = {
      name: 'province',
      kind: 'rest-json',
      deliver: async (items: readonly DeliveryItem[]): Promise<DeliveryOutcome[]> =>
        items.map((i) => {
          sent.push(i);
          return { key: i.key, state: 'accepted', platformId: `P-${i.key}` };
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

    it('reads them once over its waves and sends each with its current seal signature', async () => {
      const issues = await commit([
        candidate({ n: 1, pipeline: PIPELINE }),
        candidate({ n: 2, pipeline: PIPELINE }),
        candidate({ n: 3, pipeline: PIPELINE }),
      ]);
      const revocations = await commit([
        candidate({ n: 1, pipeline: PIPELINE, status: 'revoked' }),
        candidate({ n: 2, pipeline: PIPELINE, status: 'revoked' }),
      ]);
      // Signed again by the current seal, each with bytes of its own; the third license not yet.
      const signed = [...issues.slice(0, 2), ...revocations];
      await ledger.recordSignatures(signed.map((id, i) => signature(id, SEAL, 10 + i)));
      const ids = [...issues, ...revocations];
      const rows = await ledger.ensureDeliveries(ids, 'province');
      const unsealed = rows.find((r) => r.versionId === issues[2]);

      const reads = vi.spyOn(ledger, 'getSignatures');
      const result = await deliverVersions(province, SEAL, ledger, ids);
      const read = reads.mock.calls.flatMap(([versionIds]) => versionIds);
      reads.mockRestore();

      // Two waves (the issues, then the revocations) and the third license left for the sign stage.
      expect(result).toMatchObject({ accepted: 4, dead: 0, waiting: 0, unsigned: [unsealed?.key] });
      expect(read.toSorted((a, b) => a - b)).toEqual(ids.toSorted((a, b) => a - b));
      const keyOf = new Map(rows.map((r) => [r.versionId, r.key]));
      const expected = signed.map((id, i) => ({
        key: keyOf.get(id),
        sealId: SEAL,
        value: Buffer.from(signature(id, SEAL, 10 + i).signature).toString('base64'),
      }));
      expect(sent.map((s) => ({ key: s.key, sealId: s.signature.sealId, value: s.signature.value }))).toEqual(
        expected,
      );
      const [left] = await ledger.getDeliveries([unsealed?.key ?? '']);
      expect(left).toMatchObject({ state: 'pending', attempts: 0 });
    });
  });
}
