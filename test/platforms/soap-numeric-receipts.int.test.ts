/**
 * Platform ids and keys are receipts, not numbers: read by an XML parser that types tag values
 * (fast-xml-parser's `parseTagValue`), a 23-digit id came back as 1.2345678901234568e+22 (past
 * 2^53), `00042` as 42, `1e5` as 100000 and `0x1F` as 31, and QueryStatus or a reconciliation then
 * looked for an id the platform never gave. The SOAP target reads every answer value as text
 * (envelope.ts, `parseTagValue: false`); this holds it so, and holds a 22-digit id with leading
 * zeros too, which that parser happens to leave as text.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { deliveryItem } from './license-fixture.js';
import { startScriptedServer } from './scripted-server.js';
import { soapTarget } from './soap-stand-in.js';

const closers: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const c of closers.splice(0).reverse()) await c();
});

describe('a numeric receipt in a SOAP answer', () => {
  it.each(['0012345678901234567890', '00042', '1e5', '0x1F', '12345678901234567890123'])(
    '%s is kept as the text the service wrote',
    async (platformId) => {
      const item = deliveryItem(1, { target: 'city' });
      const server = await startScriptedServer(() => ({
        status: 200,
        headers: { 'content-type': 'text/xml; charset=utf-8' },
        body:
          '<S:Envelope xmlns:S="http://schemas.xmlsoap.org/soap/envelope/"><S:Body>' +
          '<ns2:SubmitLicensesResponse xmlns:ns2="http://exchange.city.gov.cn/license"><ns2:result>' +
          `<ns2:key>${item.key}</ns2:key><ns2:status>accepted</ns2:status>` +
          `<ns2:platformId> ${platformId} </ns2:platformId>` +
          '</ns2:result></ns2:SubmitLicensesResponse></S:Body></S:Envelope>',
      }));
      closers.push(() => server.close());
      const target = soapTarget(server.url);
      closers.push(() => target.close());
      const [outcome] = await target.deliver([item]);
      expect(outcome).toMatchObject({ key: item.key, state: 'accepted', platformId });
    },
  );
});
