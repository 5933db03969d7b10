/**
 * A status request (`/licenses/status`) whose credentials are refused after the one renewal fails
 * as a batch upload refused so does: at once, not retried (docs/sync.md, refused credentials are
 * final). It was read as any failed status request: retryable, the deliveries left unverified and
 * the job's attempts spent on a refusal no retry passes. Deliveries the platform holds as
 * `submitted` stay so: only the request failed, and their review is the platform's.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RestJsonTarget } from '../../adapters/platforms/rest-json/rest-json-target.js';
import { ErrorCodes } from '../../core/errors.js';
import type { Ledger } from '../../ledger/ledger.js';
import { openLedger } from '../../ledger/open-ledger.js';
import { deliverVersions } from '../../pipelines/stages/deliver.js';
import { quietLogger, sqliteBackend, type TestDatabase } from '../ledger/backends.js';
import { candidates } from '../ledger/fixtures.js';
import { signedRuns } from '../ledger/signed-runs.js';
import { restConfig } from '../platforms/license-fixture.js';
import {
  type ScriptedReply,
  type ScriptedServer,
  startScriptedServer,
} from '../platforms/scripted-server.js';

const SEAL = 'seal-status-refused';

describe('a status request whose credentials are refused', () => {
  let db: TestDatabase;
  let ledger: Ledger;
  let server: ScriptedServer;
  let target: RestJsonTarget;
  /** How the platform answers a batch; set by each test. */
  let batch: (keys: string[]) => ScriptedReply;
  const commit = signedRuns(() => ledger, 'status-refused', SEAL);
  const urls = () => server.seen.map((r) => r.url);

  beforeAll(async () => {
    db = await sqliteBackend.create();
    ledger = await openLedger(db.url, { logger: quietLogger });
    let issued = 0;
    server = await startScriptedServer((_n, req) => {
      if (req.url === '/oauth/token') {
        issued += 1;
        return { status: 200, body: { access_token: `tok-${issued}`, expires_in: 7200 } };
      }
      if (req.url === '/licenses/status')
        return { status: 401, body: { code: 401, reason: 'invalid_token' } };
      const { items } = JSON.parse(req.body) as { items: { key: string }[] };
      return batch(items.map((i) => i.key));
    });
    target = new RestJsonTarget(
      'province',
      restConfig(server.url, {
        timeoutMs: 2000,
        auth: {
          scheme: 'oauth2',
          tokenUrl: `${server.url}/oauth/token`,
          clientId: 'district-a',
          clientSecret: 'cs-9d1e',
          refreshSkewSeconds: 60,
        },
      }),
    );
  });
  afterAll(async () => {
    await target?.close();
    await server?.close();
    await ledger?.close();
    await db?.dispose();
  });

  const refusal = {
    code: ErrorCodes.TARGET_AUTH,
    retryable: false,
    message: expect.stringMatching(
      /^target province: status request to .* failed: credentials refused: HTTP 401/,
    ),
  };

  it('fails at once for submitted deliveries, which stay submitted', async () => {
    const ids = await commit(candidates(1, 2, { pipeline: 'status-refused' }));
    batch = (keys) => ({
      status: 200,
      body: { code: 0, results: keys.map((key) => ({ key, status: 'submitted', platformId: `P-${key}` })) },
    });
    expect(await deliverVersions(target, SEAL, ledger, ids)).toMatchObject({ submitted: 2 });
    const before = server.seen.length;
    await expect(deliverVersions(target, SEAL, ledger, ids)).rejects.toMatchObject(refusal);
    // Refused, a new token fetched, refused again: no more.
    expect(urls().slice(before)).toEqual(['/licenses/status', '/oauth/token', '/licenses/status']);
    const rows = await ledger.ensureDeliveries(ids, 'province');
    expect(rows.map((r) => r.state)).toEqual(['submitted', 'submitted']);
  });

  it('fails at once before sending again a batch whose answer was lost', async () => {
    const ids = await commit(candidates(11, 2, { pipeline: 'status-refused' }));
    batch = () => ({ status: 200, body: '<html>maintenance</html>' });
    await expect(deliverVersions(target, SEAL, ledger, ids)).rejects.toMatchObject({ retryable: true });
    const before = server.seen.length;
    await expect(deliverVersions(target, SEAL, ledger, ids)).rejects.toMatchObject(refusal);
    // Nothing was sent again.
    expect(urls().slice(before)).toEqual(['/licenses/status', '/oauth/token', '/licenses/status']);
  });
});
