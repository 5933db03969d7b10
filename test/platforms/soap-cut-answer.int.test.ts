/**
 * A city service's answer cut short — a proxy's body limit, a gateway ending the connection
 * mid-answer — arrives as a 200 whose envelope stops in the middle of a `result`. It was read as
 * far as it went: a license answered `duplicate` (the service holds an older version) was recorded
 * accepted outright when the cut fell before its `<duplicate>`, and its platform id was dropped when
 * the cut fell inside it. Such an answer is unreadable (docs/sync.md): the request fails as a
 * whole, retryably and marked unsure, so the next try asks `QueryStatus` before sending again.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { resultsEnvelope, type SoapResult } from '../../adapters/platforms/soap-xml/envelope.js';
import { ErrorCodes, type LicbridgeError } from '../../core/errors.js';
import { deliveryItem } from './license-fixture.js';
import { type ScriptedServer, startScriptedServer } from './scripted-server.js';
import { CITY_NS, soapTarget } from './soap-stand-in.js';

let server: ScriptedServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const xml = { 'content-type': 'text/xml; charset=utf-8' };

/** A service answering every submit with `body(keys)`, given the keys it carries in order. */
async function serviceAnswering(body: (keys: string[]) => string) {
  server = await startScriptedServer((_n, req) => {
    const keys = [...req.body.matchAll(/<lic:key>([^<]+)<\/lic:key>/g)].map((m) => m[1] ?? '');
    return { status: 200, headers: xml, body: body(keys) };
  });
  return soapTarget(server.url, { batchSize: 10 });
}

const answerOf = ([first = '', second = '']: string[]): string =>
  resultsEnvelope(
    [
      { key: first, status: 'accepted', platformId: 'CITY-0001', errors: [], duplicate: true },
      { key: second, status: 'accepted', platformId: 'CITY-0002', errors: [], duplicate: false },
    ] satisfies SoapResult[],
    CITY_NS,
    'SubmitLicenses',
  );

/** The request failed as a whole: retryable, and unsure whether the service stored the records. */
async function expectUnsure(delivering: Promise<unknown>): Promise<void> {
  const err = (await delivering.then(
    (outcomes) => expect.fail(`read as an answer: ${JSON.stringify(outcomes)}`),
    (e: unknown) => e,
  )) as LicbridgeError;
  expect(err).toMatchObject({ code: ErrorCodes.TARGET_UNREACHABLE, retryable: true });
  expect(err.context.unsure).toBe(true);
}

describe('a SOAP answer cut short', () => {
  it('before a result’s <duplicate> records no license accepted', async () => {
    const target = await serviceAnswering((keys) => {
      const whole = answerOf(keys);
      return whole.slice(0, whole.indexOf('<lic:duplicate>'));
    });
    try {
      const items = [deliveryItem(1, { target: 'city' }), deliveryItem(2, { target: 'city' })];
      await expectUnsure(target.deliver(items));
    } finally {
      await target.close();
    }
  });

  it('inside a platform id records no license accepted', async () => {
    const target = await serviceAnswering((keys) => {
      const whole = answerOf(keys);
      return whole.slice(0, whole.indexOf('CITY-0001') + 6);
    });
    try {
      await expectUnsure(
        target.deliver([deliveryItem(3, { target: 'city' }), deliveryItem(4, { target: 'city' })]),
      );
    } finally {
      await target.close();
    }
  });

  it('a whole answer with a byte order mark and another prefix still reads', async () => {
    const target = await serviceAnswering(
      (keys) => `\uFEFF${answerOf(keys).replace(/soap:/g, 'SOAP-ENV:').replace(/lic:/g, 'ns2:')}`,
    );
    try {
      const outcomes = await target.deliver([
        deliveryItem(5, { target: 'city' }),
        deliveryItem(6, { target: 'city' }),
      ]);
      expect(outcomes.map((o) => o.state)).toEqual(['accepted', 'accepted']);
      expect(outcomes[1]).toMatchObject({ platformId: 'CITY-0002' });
    } finally {
      await target.close();
    }
  });
});
