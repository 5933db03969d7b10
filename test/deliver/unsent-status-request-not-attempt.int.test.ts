/**
 * A status request held back by a wait the platform asked for never left this host: it is no
 * failed check of its deliveries. A job asks about its `submitted` deliveries `batchSize` keys a
 * request; once one request was answered 503 with Retry-After, the rest were held back
 * (adapters/platforms/shared/send-pause.ts) and each of their deliveries was counted a failed
 * status check all the same (`attempts + 1`, a `deliver-attempt` audit entry, its last error),
 * naming as failing a check that was never made.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { RestJsonTarget } from '../../adapters/platforms/rest-json/rest-json-target.js';
import type { Ledger } from '../../ledger/ledger.js';
import { openLedger } from '../../ledger/open-ledger.js';
import { retryAfterOf } from '../../pipelines/delivery-policy.js';
import { deliverVersions } from '../../pipelines/stages/deliver.js';
import { quietLogger, sqliteBackend, type TestDatabase } from '../ledger/backends.js';
import { candidates } from '../ledger/fixtures.js';
import { signedRuns } from '../ledger/signed-runs.js';
import { restConfig } from '../platforms/license-fixture.js';
import type { ScriptedReply, ScriptedServer } from '../platforms/scripted-server.js';
import { startKeyedStandIn } from './keyed-stand-in.js';

const SEAL = 'seal-unsent-status';
const PIPELINE = 'unsent-status';

describe('a status request not sent is no failed check', () => {
  let db: TestDatabase;
  let ledger: Ledger;
  let server: ScriptedServer;
  let target: RestJsonTarget;
  let reply: (keys: string[], status: boolean) => ScriptedReply;
  const commit = signedRuns(() => ledger, PIPELINE, SEAL);

  beforeAll(async () => {
    db = await sqliteBackend.create();
    ledger = await openLedger(db.url, { logger: quietLogger });
  });
  beforeEach(async () => {
    server = await startKeyedStandIn((_n, keys, status) => reply(keys, status));
    // One key a request: three submitted deliveries are asked about in three status requests.
    target = new RestJsonTarget('province', restConfig(server.url, { batchSize: 1 }));
  });
  afterEach(async () => {
    await target?.close();
    await server?.close();
  });
  afterAll(async () => {
    await ledger?.close();
    await db?.dispose();
  });

  it('counts the status request answered busy, not those held back after it', async () => {
    const ids = await commit(candidates(1, 3, { pipeline: PIPELINE }));
    reply = (keys) => ({
      status: 200,
      body: { code: 0, results: keys.map((key) => ({ key, status: 'submitted', platformId: `P-${key}` })) },
    });
    expect(await deliverVersions(target, SEAL, ledger, ids)).toMatchObject({ submitted: 3 });
    const keys = (await ledger.ensureDeliveries(ids, 'province')).map((r) => r.key);
    const attemptsBefore = (await ledger.getDeliveries(keys)).map((r) => r.attempts);
    const before = (await ledger.readAudit({ limit: 100_000 })).at(-1)?.seq ?? 0;
    const asked = server.seen.length;

    reply = () => ({ status: 503, headers: { 'retry-after': '60' }, body: { code: 503, reason: 'BUSY' } });
    const error = await deliverVersions(target, SEAL, ledger, ids).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(retryAfterOf(error)).toBe(60_000);
    expect(server.seen.length - asked).toBe(1);
    const rows = await ledger.getDeliveries(keys);
    expect(rows.map((r) => r.state)).toEqual(['submitted', 'submitted', 'submitted']);
    expect(rows.map((r, i) => r.attempts - (attemptsBefore[i] ?? 0))).toEqual([1, 0, 0]);
    expect(rows.map((r) => r.lastError !== null && r.lastError !== undefined)).toEqual([true, false, false]);
    const entries = (await ledger.readAudit({ afterSeq: before, limit: 100_000 })).filter(
      (e) => e.action === 'deliver-attempt',
    );
    expect(entries).toHaveLength(1);
  });
});
