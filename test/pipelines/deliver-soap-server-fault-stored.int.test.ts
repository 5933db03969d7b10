/**
 * A city service that stored a SubmitLicenses batch and then answered a `Server` fault (HTTP 500:
 * its commit finished after the fault was written, a timeout behind WCF). The fault is not marked
 * "maybe stored", and need not be: the deliver stage counts the attempt, and asks QueryStatus about
 * every pending delivery tried before it sends it again (pipelines/stages/deliver-lost-answers.ts).
 * A key the service holds is recorded accepted without being sent again; one its status does not
 * show yet is sent again under the same delivery key, and the service's `duplicate` answer is
 * recorded as the acceptance it is, never as a failure.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { faultEnvelope, resultsEnvelope } from '../../adapters/platforms/soap-xml/envelope.js';
import { openLedger } from '../../ledger/open-ledger.js';
import { deliverVersions } from '../../pipelines/stages/deliver.js';
import { quietLogger, sqliteBackend } from '../ledger/backends.js';
import { candidates } from '../ledger/fixtures.js';
import { signedRuns } from '../ledger/signed-runs.js';
import { type ScriptedServer, type SeenRequest, startScriptedServer } from '../platforms/scripted-server.js';
import { CITY_NS, soapTarget } from '../platforms/soap-stand-in.js';

const SEAL = 'seal-soap-server-fault';
const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

const XML = { 'content-type': 'text/xml; charset=utf-8' };
const keysOf = (body: string): string[] =>
  [...body.matchAll(/<lic:key>([^<]+)<\/lic:key>/g)].map((m) => m[1] ?? '');
const isSubmit = (req: SeenRequest): boolean => String(req.headers.soapaction).includes('SubmitLicenses');

/**
 * A service idempotent on the record key that stores every submit, answers the first one with a
 * `Server` fault, and answers QueryStatus as `statusKnows` says (false: its status read lags).
 */
function storingThenFaulting(
  statusKnows: boolean,
): Promise<ScriptedServer & { stored: Map<string, number> }> {
  const stored = new Map<string, number>(); // key → times received
  let submits = 0;
  return startScriptedServer((_n, req) => {
    const keys = keysOf(req.body);
    if (!isSubmit(req)) {
      const results = keys.map((key) =>
        statusKnows && stored.has(key)
          ? { key, status: 'accepted', platformId: `C-${key}`, errors: [], duplicate: false }
          : { key, status: 'unknown', platformId: null, errors: [], duplicate: false },
      );
      return { status: 200, headers: XML, body: resultsEnvelope(results, CITY_NS, 'QueryStatus') };
    }
    submits += 1;
    const results = keys.map((key) => {
      const before = stored.get(key) ?? 0;
      stored.set(key, before + 1);
      return { key, status: 'accepted', platformId: `C-${key}`, errors: [], duplicate: before > 0 };
    });
    if (submits === 1) {
      return { status: 500, headers: XML, body: faultEnvelope('Server', 'Server.Timeout: commit slow') };
    }
    return { status: 200, headers: XML, body: resultsEnvelope(results, CITY_NS, 'SubmitLicenses') };
  }).then((server) => Object.assign(server, { stored }));
}

async function setUp(statusKnows: boolean) {
  const db = await sqliteBackend.create();
  cleanups.push(() => db.dispose());
  const ledger = await openLedger(db.url, { logger: quietLogger });
  cleanups.push(() => ledger.close());
  const service = await storingThenFaulting(statusKnows);
  cleanups.push(() => service.close());
  const city = soapTarget(service.url, { batchSize: 10 });
  cleanups.push(() => city.close());
  const ids = await signedRuns(
    () => ledger,
    'soap-server-fault',
    SEAL,
  )(candidates(1, 3, { pipeline: 'soap-server-fault' }));
  // The first try: stored by the service, answered with a Server fault, retryable.
  await expect(deliverVersions(city, SEAL, ledger, ids)).rejects.toMatchObject({ retryable: true });
  const rows = await ledger.ensureDeliveries(ids, 'city');
  expect(rows.map((r) => [r.state, r.attempts])).toEqual([
    ['pending', 1],
    ['pending', 1],
    ['pending', 1],
  ]);
  expect([...service.stored.values()]).toEqual([1, 1, 1]);
  return { ledger, service, city, ids, keys: rows.map((r) => r.key) };
}

describe('SOAP: a batch the service stored, answered with a Server fault', () => {
  it('is asked about with QueryStatus, recorded accepted, and not sent again', async () => {
    const { ledger, service, city, ids, keys } = await setUp(true);

    expect(await deliverVersions(city, SEAL, ledger, ids)).toMatchObject({ skipped: 3, dead: 0 });
    const after = await ledger.getDeliveries(keys);
    expect(after.map((r) => [r.state, r.platformId])).toEqual(keys.map((k) => ['accepted', `C-${k}`]));
    expect([...service.stored.values()]).toEqual([1, 1, 1]);
    expect(service.seen.filter(isSubmit)).toHaveLength(1);
  });

  it('sent again when its status lags, the duplicate answer is recorded accepted, not failed', async () => {
    const { ledger, service, city, ids, keys } = await setUp(false);

    expect(await deliverVersions(city, SEAL, ledger, ids)).toMatchObject({ accepted: 3, dead: 0 });
    const after = await ledger.getDeliveries(keys);
    expect(after.map((r) => [r.state, r.platformId, r.receipt?.duplicate])).toEqual(
      keys.map((k) => ['accepted', `C-${k}`, true]),
    );
    expect(after.map((r) => r.lastError ?? null)).toEqual([null, null, null]);
    // Received twice under one delivery key: the service holds each license once.
    expect([...service.stored.values()]).toEqual([2, 2, 2]);
  });
});
