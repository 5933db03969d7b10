/**
 * A platform answering a delivery with a redirect (an `http` url the platform moves to `https`, a
 * path moved behind a new gateway) is not followed: a signed request must not be replayed
 * wherever a `Location` points (tls-http.ts). Its failure said `request refused: HTTP 301` and no
 * more, every attempt, until the deliveries were dead letters, and the operator had to find out
 * with another tool where the platform had gone. It now names where the answer points (scheme,
 * host, port and path: never a userinfo or query of the `Location`, which may carry a token) and
 * what to do, for the REST/JSON, SOAP and notify targets alike.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { NotifyTarget } from '../../adapters/platforms/notify/notify-target.js';
import { RestJsonTarget } from '../../adapters/platforms/rest-json/rest-json-target.js';
import { ErrorCodes, isLicbridgeError, type LicbridgeError } from '../../core/errors.js';
import { deliveryItem, restConfig } from './license-fixture.js';
import { type ScriptedReply, startScriptedServer } from './scripted-server.js';
import { soapTarget } from './soap-stand-in.js';

const closers: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const c of closers.splice(0).reverse()) await c();
});

async function refusal(p: Promise<unknown>): Promise<LicbridgeError> {
  try {
    await p;
  } catch (e) {
    if (isLicbridgeError(e)) return e;
    throw e;
  }
  throw new Error('expected a failure');
}

const SECRET = `tok-${process.pid}`;

async function redirecting(status: number, location: string) {
  const server = await startScriptedServer(
    (): ScriptedReply => ({ status, headers: { location }, body: '' }),
  );
  closers.push(() => server.close());
  return server;
}

const ADVICE =
  "redirects are not followed (a signed request is not sent on to another address): if that is the platform, change the target's url to match";

describe('a delivery answered with a redirect', () => {
  it.each([301, 302, 307, 308])('rest-json: %d names where it points, without its query', async (status) => {
    const server = await redirecting(
      status,
      `https://licence.example.gov.cn:8443/api/v2/licenses/batch?token=${SECRET}`,
    );
    const target = new RestJsonTarget('province', restConfig(`${server.url}/api`, { timeoutMs: 2000 }));
    closers.push(() => target.close());
    const e = await refusal(target.deliver([deliveryItem(1)]));
    expect(e.code).toBe(ErrorCodes.TARGET_REJECTED);
    expect(e.message).toBe(
      `target province: batch upload to ${server.url} failed: request refused: HTTP ${status}: redirected to https://licence.example.gov.cn:8443/api/v2/licenses/batch; ${ADVICE}`,
    );
    expect(e.message).not.toContain(SECRET);
    expect(server.seen).toHaveLength(1);
  });

  it('rest-json lookup: names where it points', async () => {
    const server = await redirecting(
      302,
      `https://licence.example.gov.cn/api/licenses/lic-000003?sign=${SECRET}`,
    );
    const target = new RestJsonTarget('province', restConfig(`${server.url}/api`, { timeoutMs: 2000 }));
    closers.push(() => target.close());
    const e = await refusal(target.lookup(['lic-000003']));
    expect(e.message).toBe(
      `target province: lookup to ${server.url} failed: request refused: HTTP 302: redirected to https://licence.example.gov.cn/api/licenses/lic-000003; ${ADVICE}`,
    );
  });

  it('soap-xml: a relative Location is named against the endpoint', async () => {
    const server = await redirecting(301, '/services/v2/LicenseExchange');
    const target = soapTarget(`${server.url}/services/LicenseExchange`);
    closers.push(() => target.close());
    const e = await refusal(target.deliver([deliveryItem(2, { target: 'city' })]));
    expect(e.message).toBe(
      `target city: batch upload to ${server.url} failed: request refused: HTTP 301: redirected to ${server.url}/services/v2/LicenseExchange; ${ADVICE}`,
    );
  });

  it('notify: names where it points; a Location with userinfo is named without it', async () => {
    const server = await redirecting(308, `https://op:${SECRET}@sms.example.gov.cn/gw/messages`);
    const target = new NotifyTarget('sms', {
      kind: 'notify',
      url: server.url,
      channel: 'sms',
      auth: { scheme: 'none' },
      template: 'license-expiry',
      timeoutMs: 2000,
      concurrency: 1,
      attempts: 1,
      backoffMs: 10,
    });
    closers.push(() => target.close());
    const e = await refusal(
      target.send({
        key: 'lic-1:1:30',
        recipient: '13912340001',
        params: { licenseType: 't', number: 'JY1', issuer: 'i', validTo: '2026-03-31', daysLeft: 30 },
      }),
    );
    expect(e.message).toBe(
      `target sms: reminder to ${server.url} failed: request refused: HTTP 308: redirected to https://sms.example.gov.cn/gw/messages; ${ADVICE}`,
    );
  });
});
