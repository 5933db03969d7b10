/**
 * A signature is SM2 over e = SM3(Z ‖ M), and Z binds the signer's distinguishing id (GB/T 32918.2
 * §5.5). Without an agreement otherwise the id is GM/T 0009's default `1234567812345678`; a
 * signer configured with another (`distId`) signs what a platform can verify only knowing it. The
 * delivered signature names that id (`distId`), as the ledger recorded it with the signature; a
 * signature under the default id goes as before, without it.
 */
import { describe, expect, it } from 'vitest';
import { encodeKeyPosition } from '../../connectors/key-position.js';
import { deliverVersions } from '../../pipelines/stages/deliver.js';
import { BACKENDS } from '../ledger/backends.js';
import { candidates, signature } from '../ledger/fixtures.js';
import { reviewingProvince } from '../platforms/scripted-province.js';

const SEAL = 'seal-dist-id';
const OTHER_ID = 'ALICE123@YAHOO.COM'; // GB/T 32918.2's example user id

for (const backend of BACKENDS) {
  describe(`the distinguishing id of a delivered signature (${backend.name} ledger)`, () => {
    const env = reviewingProvince(backend);

    it('is named when the signer used another id than the default, and only then', async () => {
      env.batch = (key) => [{ key, status: 'accepted', platformId: `P-${key}`, errors: [] }];
      await env.ledger.startRun({ runId: 'run-1', pipeline: 'dist-id', mode: 'incremental' });
      const page = await env.ledger.commitPage({
        pipeline: 'dist-id',
        runId: 'run-1',
        checkpoint: encodeKeyPosition({ cursor: null, key: 'k1' }),
        rowsRead: 2,
        candidates: candidates(1, 2, { pipeline: 'dist-id' }),
        quarantined: [],
      });
      const [plain, other] = page.created.map((c) => c.versionId) as [number, number];
      await env.ledger.recordSignatures([
        signature(plain, SEAL),
        { ...signature(other, SEAL), distId: OTHER_ID },
      ]);

      expect(await deliverVersions(env.province, SEAL, env.ledger, [plain, other])).toMatchObject({
        accepted: 2,
      });
      const sent = JSON.parse(env.server.seen[0]?.body ?? '{}').items as {
        key: string;
        signature: Record<string, unknown>;
      }[];
      const byVersion = new Map(
        (await env.ledger.ensureDeliveries([plain, other], 'province')).map((d) => [d.versionId, d.key]),
      );
      const signatureOf = (versionId: number) =>
        sent.find((i) => i.key === byVersion.get(versionId))?.signature;
      expect(signatureOf(other)).toEqual({
        algorithm: 'SM2-SM3',
        value: Buffer.from([0, 255, 7, 1, 2, 3, 128, 0]).toString('base64'),
        digest: 'ab'.repeat(32),
        sealId: SEAL,
        distId: OTHER_ID,
      });
      expect(signatureOf(plain)).toEqual({
        algorithm: 'SM2-SM3',
        value: Buffer.from([0, 255, 7, 1, 2, 3, 128, 0]).toString('base64'),
        digest: 'ab'.repeat(32),
        sealId: SEAL,
      });
    });
  });
}
