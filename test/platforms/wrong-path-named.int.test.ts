/**
 * A REST/JSON or notify target whose `url` names a path the platform does not serve is answered
 * 404 (by the province and gateway simulators as by the real services). Its failure said
 * `HTTP 404` and the origin only, the one part of the url that was right; it now names where the
 * request was refused (scheme, host, port and path, never the url's userinfo or query) and what to
 * check, as the SOAP target's does (test/simulators/city-soap-wrong-path.int.test.ts).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NotifyTarget } from '../../adapters/platforms/notify/notify-target.js';
import { fetchCatalogTypes } from '../../adapters/platforms/rest-json/catalog-fetch.js';
import { RestJsonTarget } from '../../adapters/platforms/rest-json/rest-json-target.js';
import {
  type GatewaySimulator,
  startGatewaySimulator,
} from '../../adapters/simulators/gateway/gateway-simulator.js';
import {
  type ProvinceSimulator,
  startProvinceSimulator,
} from '../../adapters/simulators/province/province-simulator.js';
import { ErrorCodes, isLicbridgeError, type LicbridgeError } from '../../core/errors.js';
import { deliveryItem, restConfig } from './license-fixture.js';

let province: ProvinceSimulator;
let gateway: GatewaySimulator;
beforeAll(async () => {
  province = await startProvinceSimulator({ basePath: '/license' });
  gateway = await startGatewaySimulator({ basePath: '/gw' });
});
afterAll(async () => {
  await province?.close();
  await gateway?.close();
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

/** `url` with userinfo and a query that must not be repeated. */
const withSecrets = (url: string, path: string) => {
  const at = new URL(url);
  return `${at.protocol}//op:pw-${process.pid}@${at.host}${path}?appSecret=q-${process.pid}`;
};

describe('a target url whose path the platform does not serve', () => {
  it('rest-json: the batch upload names the endpoint refused', async () => {
    const origin = new URL(province.url).origin;
    const target = new RestJsonTarget('province', restConfig(withSecrets(province.url, '/licence')));
    try {
      const e = await refusal(target.deliver([deliveryItem(1)]));
      expect(e.code).toBe(ErrorCodes.TARGET_REJECTED);
      expect(e.message).toBe(
        `target province: batch upload to ${origin} failed: request refused: HTTP 404 (no-such-endpoint): no such endpoint at ${origin}/licence/licenses/batch; check the path of the target's url`,
      );
    } finally {
      await target.close();
    }
    expect(province.licenses()).toEqual([]);
  });

  it('notify: the reminder names the endpoint refused', async () => {
    const origin = new URL(gateway.url).origin;
    const target = new NotifyTarget('sms', {
      kind: 'notify',
      url: withSecrets(gateway.url, '/gateway'),
      channel: 'sms',
      auth: { scheme: 'none' },
      template: 'license-expiry',
      timeoutMs: 2000,
      concurrency: 1,
      attempts: 1,
      backoffMs: 10,
    });
    try {
      const e = await refusal(
        target.send({
          key: 'lic-1:1:30',
          recipient: '13912340001',
          params: { licenseType: 't', number: 'JY1', issuer: 'i', validTo: '2026-03-31', daysLeft: 30 },
        }),
      );
      expect(e.message).toBe(
        `target sms: reminder to ${origin} failed: request refused: HTTP 404 (no-such-endpoint): no such endpoint at ${origin}/gateway/messages; check the path of the target's url`,
      );
    } finally {
      await target.close();
    }
    expect(gateway.messages()).toEqual([]);
  });
});

describe('a catalog path the platform does not serve', () => {
  it('names the endpoint refused, and catalogPath with the url', async () => {
    const origin = new URL(province.url).origin;
    const e = await refusal(
      fetchCatalogTypes('province', restConfig(province.url, { catalogPath: '/catalogue/types' })),
    );
    expect(e.message).toBe(
      `target province: catalog request to ${origin} failed: request refused: HTTP 404 (no-such-endpoint): no such endpoint at ${origin}/license/catalogue/types; check the path of the target's url and its catalogPath`,
    );
  });
});
