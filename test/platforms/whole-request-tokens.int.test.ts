/**
 * Of a whole-request failure, only the platform's machine token is kept (a SOAP fault's code and
 * the token its faultstring starts with, a JSON `reason`): it becomes the job's error in Redis, the
 * ledger's `last_error`, a dead letter's reason and log lines. A validator that names the value it
 * refuses makes that token an ID or phone number (`370211199001011234: 证件号码校验失败`,
 * `{"reason":"13800138000"}`); it is cut to its last four digits, as in a rejection's reasons.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { NotifyTarget } from '../../adapters/platforms/notify/notify-target.js';
import { RestJsonTarget } from '../../adapters/platforms/rest-json/rest-json-target.js';
import { faultEnvelope } from '../../adapters/platforms/soap-xml/envelope.js';
import { isLicbridgeError, type LicbridgeError } from '../../core/errors.js';
import { deliveryItem, HOLDER_ID, restConfig } from './license-fixture.js';
import { type ScriptedReply, startScriptedServer } from './scripted-server.js';
import { soapTarget } from './soap-stand-in.js';

const PHONE = '13800138000';

const closers: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const c of closers.splice(0).reverse()) await c();
});

async function failure(p: Promise<unknown>): Promise<LicbridgeError> {
  const e = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  if (!isLicbridgeError(e)) throw new Error(`expected a LicbridgeError, got ${String(e)}`);
  return e;
}

async function scripted(reply: ScriptedReply): Promise<string> {
  const server = await startScriptedServer(() => reply);
  closers.push(() => server.close());
  return server.url;
}

/** All an error carries that is stored or printed: its message and its context. */
const stored = (e: LicbridgeError): string => `${e.message} ${JSON.stringify(e.context)}`;

describe('a machine token holding an ID or phone number', () => {
  const xml = { 'content-type': 'text/xml; charset=utf-8' };

  for (const [label, faultstring] of [
    ['before its explanation', `${HOLDER_ID}: 证件号码校验失败`],
    ['as the whole faultstring', HOLDER_ID],
  ] as const) {
    it(`SOAP faultstring with the ID ${label}: kept cut to its last four digits`, async () => {
      const url = await scripted({ status: 500, headers: xml, body: faultEnvelope('Client', faultstring) });
      const target = soapTarget(url);
      closers.push(() => target.close());
      const e = await failure(target.deliver([deliveryItem(1, { target: 'city' })]));
      expect(stored(e)).not.toContain(HOLDER_ID);
      expect(e.message).toContain('SOAP fault Client');
      expect(e.message).toContain(HOLDER_ID.slice(-4));
    });
  }

  for (const [label, reply] of [
    ['a 400', { status: 400, body: { code: 400, reason: HOLDER_ID } }],
    ['a refusing code in a 200', { status: 200, body: { code: 1001, reason: `ID_${HOLDER_ID}_INVALID` } }],
    ['a busy code in a 200', { status: 200, body: { code: 503, reason: `BUSY_${PHONE}` } }],
  ] as const) {
    it(`REST/JSON reason of ${label}: kept cut to its last four digits`, async () => {
      const url = await scripted(reply);
      const target = new RestJsonTarget('province', restConfig(url, { timeoutMs: 2000 }));
      closers.push(() => target.close());
      const e = await failure(target.deliver([deliveryItem(1)]));
      expect(stored(e)).not.toContain(HOLDER_ID);
      expect(stored(e)).not.toContain(PHONE);
      expect(e.message).toMatch(/\*{4,}\d{4}/);
    });
  }

  it("notify: a gateway's 404 reason holding the recipient's number", async () => {
    const url = await scripted({ status: 404, body: { code: 404, reason: PHONE } });
    const target = new NotifyTarget('sms', {
      kind: 'notify',
      url,
      channel: 'sms',
      auth: { scheme: 'none' },
      template: 'license-expiry',
      timeoutMs: 2000,
      concurrency: 1,
      attempts: 1,
      backoffMs: 10,
    } as never);
    closers.push(() => target.close());
    const e = await failure(
      target.send({
        key: 'lic-000001:1:30',
        recipient: PHONE,
        params: { licenseType: 't', number: 'n', issuer: 'i', validTo: '2026-12-31', daysLeft: 30 },
      }),
    );
    expect(stored(e)).not.toContain(PHONE);
  });
});
