/**
 * A REST/JSON batch answer whose results for one key disagree (`rejected`, then `accepted`) is a
 * retryable failure (rest-json/outcome.ts), counted as an attempt: the next try of the deliver
 * stage asks `/licenses/status` first and records what the platform holds, instead of sending the
 * license again — as for SOAP, whose next try asks `QueryStatus`.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RestJsonTarget } from '../../adapters/platforms/rest-json/rest-json-target.js';
import type { Ledger } from '../../ledger/ledger.js';
import { openLedger } from '../../ledger/open-ledger.js';
import { deliverVersions } from '../../pipelines/stages/deliver.js';
import { BACKENDS, quietLogger, type TestDatabase } from '../ledger/backends.js';
import { candidates } from '../ledger/fixtures.js';
import { signedRuns } from '../ledger/signed-runs.js';
import { scriptedProvince } from './scripted-province.js';
import type { ScriptedServer } from './scripted-server.js';

const SEAL = 'seal-key-results';

for (const backend of BACKENDS) {
  describe(`REST/JSON results that disagree, then the next try (${backend.name} ledger)`, () => {
    let db: TestDatabase;
    let ledger: Ledger;
    let server: ScriptedServer;
    let province: RestJsonTarget;
    const commit = signedRuns(() => ledger, 'key-results', SEAL);

    beforeAll(async () => {
      db = await backend.create();
      ledger = await openLedger(db.url, { logger: quietLogger });
      // A batch is answered with two results for each key that disagree; a status request with
      // one acceptance for each key (what the platform holds).
      ({ server, province } = await scriptedProvince({
        batch: (key) => [
          { key, status: 'rejected', platformId: null, errors: ['zzbh: 重复'] },
          { key, status: 'accepted', platformId: `P-${key}`, errors: [] },
        ],
        status: (key) => [{ key, status: 'accepted', platformId: `P-${key}`, errors: [] }],
      }));
    });
    afterAll(async () => {
      await province?.close();
      await server?.close();
      await ledger?.close();
      await db?.dispose();
    });

    it('fails retryable saying so; the next try asks /licenses/status first and sends nothing again', async () => {
      const ids = await commit(candidates(1, 2, { pipeline: 'key-results' }));
      await expect(deliverVersions(province, SEAL, ledger, ids)).rejects.toMatchObject({
        retryable: true,
        message: expect.stringContaining(
          '2 of 2 deliveries to province did not land yet: platform answered 2 results for this key that disagree (rejected, accepted)',
        ),
      });
      expect(server.seen.map((r) => r.url)).toEqual(['/licenses/batch']);
      const sent: string[] = JSON.parse(server.seen[0]?.body ?? '{}').items.map(
        (i: { key: string }) => i.key,
      );
      const pending = await ledger.getDeliveries(sent);
      expect(pending.map((d) => ({ state: d.state, attempts: d.attempts }))).toEqual([
        { state: 'pending', attempts: 1 },
        { state: 'pending', attempts: 1 },
      ]);

      const r = await deliverVersions(province, SEAL, ledger, ids);
      expect(r).toMatchObject({ accepted: 0, skipped: 2, dead: 0 });
      // Asked first, and the platform's answer taken: no second batch.
      expect(server.seen.map((q) => q.url)).toEqual(['/licenses/batch', '/licenses/status']);
      const keys: string[] = JSON.parse(server.seen[1]?.body ?? '{}').keys;
      const held = await ledger.getDeliveries(keys);
      expect(held.map((d) => ({ key: d.key, state: d.state, platformId: d.platformId }))).toEqual(
        keys.map((key) => ({ key, state: 'accepted', platformId: `P-${key}` })),
      );
    });
  });
}
