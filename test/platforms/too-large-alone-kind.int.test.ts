/**
 * A license whose request a platform refuses as too large even alone fails on its own, and its
 * outcome says what kind of failure that is (`request-too-large`), as the deliver stage audits the
 * attempt: the same whichever way the platform said it. Without the kind the stage read the
 * outcome's words: a SOAP service's `batch-too-large` fault (HTTP 500) read `other`, a proxy's
 * 413 `http-413`, and a gateway's `{"code":413}` `code-413`.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { RestJsonTarget } from '../../adapters/platforms/rest-json/rest-json-target.js';
import { faultEnvelope, resultsEnvelope } from '../../adapters/platforms/soap-xml/envelope.js';
import type { DeliveryOutcome, TargetAdapter } from '../../adapters/platforms/target.js';
import { outcomeAttemptReason } from '../../pipelines/stages/deliver-attempt-reasons.js';
import { deliveryItem, restConfig } from './license-fixture.js';
import { type ScriptedReply, type ScriptedServer, startScriptedServer } from './scripted-server.js';
import { CITY_NS, soapTarget } from './soap-stand-in.js';

let server: ScriptedServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const LARGE = 'lic-000002:';

/** The outcomes of licenses 1 to 3 sent to a platform refusing license 2 (and any request holding it) with `refusal`. */
async function refusingLicense2(
  refusal: ScriptedReply,
  accept: (keys: string[]) => ScriptedReply,
  target: (url: string) => TargetAdapter,
  keysOf: (body: string) => string[],
  itemTarget: string,
): Promise<DeliveryOutcome[]> {
  server = await startScriptedServer((_n, req) => {
    const keys = keysOf(req.body);
    return keys.some((k) => k.startsWith(LARGE)) ? refusal : accept(keys);
  });
  const t = target(server.url);
  try {
    return await t.deliver([1, 2, 3].map((n) => deliveryItem(n, { target: itemTarget })));
  } finally {
    await t.close();
  }
}

const soapKeys = (body: string): string[] =>
  [...body.matchAll(/<lic:key>([^<]+)<\/lic:key>/g)].map((m) => m[1] ?? '');
const soapAccepting = (keys: string[]): ScriptedReply => ({
  status: 200,
  headers: { 'content-type': 'text/xml; charset=utf-8' },
  body: resultsEnvelope(
    keys.map((key) => ({ key, status: 'accepted', platformId: `C-${key}`, errors: [], duplicate: false })),
    CITY_NS,
    'SubmitLicenses',
  ),
});
const restKeys = (body: string): string[] =>
  (JSON.parse(body) as { items: { key: string }[] }).items.map((i) => i.key);
const restAccepting = (keys: string[]): ScriptedReply => ({
  status: 200,
  body: { code: 0, results: keys.map((key) => ({ key, status: 'accepted', platformId: `P-${key}` })) },
});

function expectTooLargeAlone(outcomes: DeliveryOutcome[]): void {
  expect(outcomes.map((o) => o.state)).toEqual(['accepted', 'failed', 'accepted']);
  const alone = outcomes[1] as DeliveryOutcome;
  expect(alone.reasons?.join('\n')).toContain('license lic-000002 version 1: its request of');
  expect(alone.failure).toBe('request-too-large');
  expect(outcomeAttemptReason(alone)).toBe('request-too-large');
}

describe('a license refused as too large even alone: its failure kind', () => {
  it('SOAP: a Client fault naming batch-too-large (HTTP 500) is request-too-large, not other', async () => {
    const fault: ScriptedReply = {
      status: 500,
      headers: { 'content-type': 'text/xml; charset=utf-8' },
      body: faultEnvelope('Client', 'Client.Request: batch-too-large'),
    };
    const outcomes = await refusingLicense2(
      fault,
      soapAccepting,
      (url) => soapTarget(url, { batchSize: 10 }),
      soapKeys,
      'city',
    );
    expectTooLargeAlone(outcomes);
  });

  it('REST/JSON: a proxy’s HTTP 413 is request-too-large', async () => {
    const outcomes = await refusingLicense2(
      { status: 413, headers: { 'content-type': 'text/html' }, body: '<html>413</html>' },
      restAccepting,
      (url) => new RestJsonTarget('province', restConfig(url, { batchSize: 10 })),
      restKeys,
      'province',
    );
    expectTooLargeAlone(outcomes);
    expect(outcomes[1]?.retryable).toBe(true);
  });

  it('REST/JSON: a gateway’s {"code":413} in a 200 is request-too-large', async () => {
    const outcomes = await refusingLicense2(
      { status: 200, body: { code: 413, reason: 'batch-too-large' } },
      restAccepting,
      (url) => new RestJsonTarget('province', restConfig(url, { batchSize: 10 })),
      restKeys,
      'province',
    );
    expectTooLargeAlone(outcomes);
  });
});
