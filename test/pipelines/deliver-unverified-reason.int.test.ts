/**
 * A send whose answer never came is asked about before it goes again (`/licenses/status`). When
 * that request fails too, the job's error, and the dead letter its last attempt writes, say why:
 * only "could not be asked" left an operator to guess between a platform down, a status route
 * missing and refused credentials. The status request is named as such, not as a batch upload.
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

const SEAL = 'seal-unverified';

describe('a status request failing before a send whose answer was lost', () => {
  let db: TestDatabase;
  let ledger: Ledger;
  let server: ScriptedServer;
  let target: RestJsonTarget;
  const commit = signedRuns(() => ledger, 'unverified', SEAL);

  beforeAll(async () => {
    db = await sqliteBackend.create();
    ledger = await openLedger(db.url, { logger: quietLogger });
    // The batch's answer is a gateway's page; the status request is refused.
    server = await startScriptedServer((_n, req) =>
      req.url.endsWith('/licenses/status')
        ? { status: 404, body: { code: 404, reason: 'NO_ROUTE' } }
        : { status: 200, body: '<html>maintenance</html>' },
    );
    target = new RestJsonTarget('province', restConfig(server.url, { timeoutMs: 2000 }));
  });
  afterAll(async () => {
    await target?.close();
    await server?.close();
    await ledger?.close();
    await db?.dispose();
  });

  it("names the status request's failure in the job's error", async () => {
    const ids = await commit(candidates(1, 2, { pipeline: 'unverified' }));
    await expect(deliverVersions(target, SEAL, ledger, ids)).rejects.toMatchObject({ retryable: true });
    await expect(deliverVersions(target, SEAL, ledger, ids)).rejects.toMatchObject({
      retryable: true,
      message: expect.stringMatching(
        /^deliver: 2 of 2 deliveries to province did not land yet: the platform could not be asked whether it holds them: target province: status request to http:\/\/127\.0\.0\.1:\d+ failed: request refused: HTTP 404 \(NO_ROUTE\): no such endpoint at http:\/\/127\.0\.0\.1:\d+\/licenses\/status; check the path of the target's url$/,
      ),
    });
    // Nothing was sent again while the platform could not say whether it holds them.
    expect(server.seen.map((r) => r.url)).toEqual(['/licenses/batch', '/licenses/status']);
  });
});
