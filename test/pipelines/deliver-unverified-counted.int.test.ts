/**
 * A deliver call whose status request failed for the sends whose answer was lost (those left
 * unsent, `unverified`) and whose send of the others failed too ended with the send's failure
 * alone: the job's error counted the failed send's deliveries and said nothing of the unasked ones,
 * which did not land either ('1 of 2 deliveries did not land yet' for a job of four, three open). The
 * error a last attempt dead-letters them with now counts both and names why each did not land.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RestJsonTarget } from '../../adapters/platforms/rest-json/rest-json-target.js';
import type { Ledger } from '../../ledger/ledger.js';
import { openLedger } from '../../ledger/open-ledger.js';
import { deliverVersions } from '../../pipelines/stages/deliver.js';
import { quietLogger, sqliteBackend, type TestDatabase } from '../ledger/backends.js';
import { candidates } from '../ledger/fixtures.js';
import { signedRuns } from '../ledger/signed-runs.js';
import { restConfig } from '../platforms/license-fixture.js';
import { type ScriptedServer, startScriptedServer } from '../platforms/scripted-server.js';

const SEAL = 'seal-unverified-counted';
const PIPELINE = 'unverified-counted';

describe('a call with unasked lost answers and a failed send', () => {
  let db: TestDatabase;
  let ledger: Ledger;
  let server: ScriptedServer;
  let target: RestJsonTarget;
  const commit = signedRuns(() => ledger, PIPELINE, SEAL);
  /** Whether a batch's answer is lost (a gateway's page). */
  let answerLost = true;

  beforeAll(async () => {
    db = await sqliteBackend.create();
    ledger = await openLedger(db.url, { logger: quietLogger });
    // A batch's answer is a gateway's page (its answer lost), then code 2 with a result for its
    // first item only, the other failed with the request's refusal; the status request is refused.
    server = await startScriptedServer((_n, req) => {
      if (req.url.endsWith('/licenses/status'))
        return { status: 404, body: { code: 404, reason: 'NO_ROUTE' } };
      if (answerLost) return { status: 200, body: '<html>maintenance</html>' };
      const { items } = JSON.parse(req.body) as { items: { key: string }[] };
      const results = [{ key: items[0]?.key, status: 'accepted', platformId: 'P-1' }];
      return { status: 200, body: { code: 2, reason: 'PARTLY_ACCEPTED', results } };
    });
    target = new RestJsonTarget('province', restConfig(server.url, { timeoutMs: 2000 }));
  });
  afterAll(async () => {
    await target?.close();
    await server?.close();
    await ledger?.close();
    await db?.dispose();
  });

  it("counts the unasked deliveries in the job's error, and says why they were not sent", async () => {
    const lost = await commit(candidates(1, 2, { pipeline: PIPELINE }));
    await expect(deliverVersions(target, SEAL, ledger, lost)).rejects.toMatchObject({ retryable: true });
    answerLost = false;
    const fresh = await commit(candidates(3, 2, { pipeline: PIPELINE }));

    const thrown = await deliverVersions(target, SEAL, ledger, [...lost, ...fresh]).catch((e: unknown) => e);

    // The two lost answers were asked about (refused), not sent; the others were sent, one accepted.
    const urls = server.seen.map((r) => r.url);
    expect(urls.filter((u) => u === '/licenses/status')).toHaveLength(1);
    expect(urls.at(-1)).toBe('/licenses/batch');
    const rows = await ledger.ensureDeliveries([...lost, ...fresh], 'province');
    expect(rows.map((r) => r.state).sort()).toEqual(['accepted', 'pending', 'pending', 'pending']);
    expect(thrown).toMatchObject({ retryable: true });
    const message = (thrown as Error).message;
    expect(message).toMatch(/^deliver: 3 of 4 deliveries to province did not land yet: .*platform code 2/);
    expect(message).toMatch(
      /; 2 not sent: the platform could not be asked whether it holds them: target province: status request to http:\/\/127\.0\.0\.1:\d+ failed: request refused: HTTP 404 \(NO_ROUTE\)/,
    );
  });
});
