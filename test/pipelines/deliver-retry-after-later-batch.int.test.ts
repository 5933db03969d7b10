/**
 * A deliver job holds more versions than one request takes (a page of 500 against batches of 100),
 * so the platform's 429 or 503 with Retry-After may answer a later request of the job, after
 * earlier ones were answered. Its wait still reaches the deliver worker (retryAfterOf), which
 * pauses the target's queue that long and puts the job back without spending an attempt, as when
 * the first request is the one answered so: without it, the job spent an attempt on the
 * exponential backoff (1 s, 2 s, …) while the platform asked for minutes, and dead-lettered
 * licenses the platform had only asked to wait for.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { RestJsonTarget } from '../../adapters/platforms/rest-json/rest-json-target.js';
import type { Ledger } from '../../ledger/ledger.js';
import { openLedger } from '../../ledger/open-ledger.js';
import { retryAfterOf } from '../../pipelines/delivery-policy.js';
import { deliverVersions } from '../../pipelines/stages/deliver.js';
import { startKeyedStandIn } from '../deliver/keyed-stand-in.js';
import { quietLogger, sqliteBackend, type TestDatabase } from '../ledger/backends.js';
import { candidates } from '../ledger/fixtures.js';
import { signedRuns } from '../ledger/signed-runs.js';
import { restConfig } from '../platforms/license-fixture.js';
import type { ScriptedReply, ScriptedServer } from '../platforms/scripted-server.js';

const SEAL = 'seal-later-batch';

describe('a Retry-After answering a later request of a deliver job', () => {
  let db: TestDatabase;
  let ledger: Ledger;
  let server: ScriptedServer;
  let target: RestJsonTarget;
  /** How the platform answers the n-th request; set by each test. */
  let reply: (n: number, keys: string[], status: boolean) => ScriptedReply;
  const commit = signedRuns(() => ledger, 'later-batch', SEAL);

  const accepted = (keys: string[]): ScriptedReply => ({
    status: 200,
    body: { code: 0, results: keys.map((key) => ({ key, status: 'accepted', platformId: `P-${key}` })) },
  });
  const busy = (seconds: number): ScriptedReply => ({
    status: 503,
    headers: { 'retry-after': String(seconds) },
    body: { code: 503, reason: 'SYSTEM_BUSY' },
  });
  /** Whether each request seen was a status request, in order. */
  const statusRequests = (seen: readonly { url: string }[]) =>
    seen.map((r) => r.url.endsWith('/licenses/status'));
  const deliveriesOf = async (ids: number[]) =>
    ledger.getDeliveries((await ledger.ensureDeliveries(ids, 'province')).map((r) => r.key));

  beforeAll(async () => {
    db = await sqliteBackend.create();
    ledger = await openLedger(db.url, { logger: quietLogger });
  });
  // A platform of its own for each case: the wait one asked for holds back every later request
  // this process makes to it (adapters/platforms/shared/send-pause.ts).
  beforeEach(async () => {
    server = await startKeyedStandIn((n, keys, status) => reply(n, keys, status));
    // One license a request: the job's second version goes in a second request.
    target = new RestJsonTarget('province', restConfig(server.url, { batchSize: 1, timeoutMs: 2000 }));
  });
  afterEach(async () => {
    await target?.close();
    await server?.close();
  });
  afterAll(async () => {
    await ledger?.close();
    await db?.dispose();
  });

  it("fails retryable carrying the platform's wait; the first request's acceptance is kept", async () => {
    const ids = await commit(candidates(1, 3, { pipeline: 'later-batch' }));
    const first = server.seen.length;
    reply = (n, keys) => (n === first ? accepted(keys) : busy(120));
    const error = await deliverVersions(target, SEAL, ledger, ids).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toMatchObject({ retryable: true });
    expect(retryAfterOf(error)).toBe(120_000);
    // Sending stopped at the busy answer: the third license was not sent into it.
    expect(server.seen.length - first).toBe(2);
    const rows = await deliveriesOf(ids);
    expect(rows.map((r) => r.state)).toEqual(['accepted', 'pending', 'pending']);
  });

  it('carries the wait of a status request answered so, asked before sending again', async () => {
    const ids = await commit(candidates(11, 2, { pipeline: 'later-batch' }));
    const first = server.seen.length;
    // The batch's answer is cut off: an unsure send, asked about on the next try.
    reply = () => ({ status: 200, body: '<html>maintenance</html>' });
    await expect(deliverVersions(target, SEAL, ledger, ids)).rejects.toMatchObject({ retryable: true });
    expect(server.seen.length - first).toBe(1);

    const asked = server.seen.length;
    reply = (n, keys) => (n === asked ? accepted(keys) : busy(90));
    const error = await deliverVersions(target, SEAL, ledger, ids).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toMatchObject({ retryable: true });
    expect(retryAfterOf(error)).toBe(90_000);
  });

  it('sends nothing after a status request answered with Retry-After', async () => {
    const [unsure, fresh] = await commit(candidates(21, 2, { pipeline: 'later-batch' }));
    if (unsure === undefined || fresh === undefined) throw new Error('two versions expected');
    const first = server.seen.length;
    reply = () => ({ status: 200, body: '<html>maintenance</html>' });
    await expect(deliverVersions(target, SEAL, ledger, [unsure])).rejects.toMatchObject({ retryable: true });
    expect(server.seen.length - first).toBe(1);

    const asked = server.seen.length;
    reply = (_n, keys, status) => (status ? busy(60) : accepted(keys));
    const error = await deliverVersions(target, SEAL, ledger, [unsure, fresh]).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(retryAfterOf(error)).toBe(60_000);
    // The status request alone: the version never sent waits out the platform's wait too.
    expect(statusRequests(server.seen.slice(asked))).toEqual([true]);
    const rows = await deliveriesOf([fresh]);
    expect(rows.map((r) => [r.state, r.attempts])).toEqual([['pending', 0]]);
  });

  it('sends nothing after a status request for a delivery under review answered with Retry-After', async () => {
    const [reviewed, fresh] = await commit(candidates(31, 2, { pipeline: 'later-batch' }));
    if (reviewed === undefined || fresh === undefined) throw new Error('two versions expected');
    reply = (_n, keys) => ({
      status: 200,
      body: { code: 0, results: keys.map((key) => ({ key, status: 'submitted', platformId: `P-${key}` })) },
    });
    expect(await deliverVersions(target, SEAL, ledger, [reviewed])).toMatchObject({ submitted: 1 });

    const asked = server.seen.length;
    reply = (_n, keys, status) => (status ? busy(45) : accepted(keys));
    const error = await deliverVersions(target, SEAL, ledger, [reviewed, fresh]).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toMatchObject({ retryable: true });
    expect(retryAfterOf(error)).toBe(45_000);
    // Both counted as not landed, and each one's why named: the error is what a last attempt's
    // dead letters say. The version never sent was left out of the count ('1 of 2').
    expect((error as Error).message).toMatch(
      /^deliver: 2 of 2 deliveries to province did not land yet: the platform could not be asked how its review ended: .*SYSTEM_BUSY.*; 1 not sent: the platform asked every caller to wait \(Retry-After\)$/,
    );
    // The status request alone: the version never sent waits out the platform's wait too.
    expect(statusRequests(server.seen.slice(asked))).toEqual([true]);
    const rows = await deliveriesOf([reviewed, fresh]);
    expect(rows.map((r) => r.state)).toEqual(['submitted', 'pending']);
    expect(rows[1]?.attempts).toBe(0);
  });
});
