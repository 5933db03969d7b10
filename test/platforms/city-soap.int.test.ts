import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SoapXmlTargetConfig } from '../../adapters/platforms/soap-xml/config.js';
import { newUsernameToken, soapAction, submitEnvelope } from '../../adapters/platforms/soap-xml/envelope.js';
import { SoapXmlTarget } from '../../adapters/platforms/soap-xml/soap-xml-target.js';
import {
  type CitySoapSimulator,
  startCitySoapSimulator,
} from '../../adapters/simulators/city-soap/city-soap-simulator.js';
import { isLicbridgeError } from '../../core/errors.js';
import { deliveryItem, HOLDER_ID, HOLDER_NAME } from './license-fixture.js';
import { CITY_NS } from './soap-stand-in.js';

function soapConfig(url: string, overrides: Partial<SoapXmlTargetConfig> = {}): SoapXmlTargetConfig {
  return {
    kind: 'soap-xml',
    url,
    username: 'district',
    password: 'city-password',
    batchSize: 50,
    timeoutMs: 2000,
    concurrency: 2,
    attempts: 3,
    ...overrides,
  };
}

async function failure(p: Promise<unknown>) {
  try {
    await p;
  } catch (e) {
    if (isLicbridgeError(e)) return e;
    throw e;
  }
  throw new Error('expected a failure');
}

describe('the SOAP/XML target against the city SOAP simulator', () => {
  let sim: CitySoapSimulator;
  beforeAll(async () => {
    sim = await startCitySoapSimulator({ auth: { username: 'district', password: 'city-password' } });
  });
  afterAll(async () => sim?.close());

  it('delivers a batch and answers a repeated key with its first platform id, counted as a duplicate', async () => {
    const target = new SoapXmlTarget('city', soapConfig(sim.url));
    try {
      const items = [deliveryItem(1, { target: 'city' }), deliveryItem(2, { target: 'city' })];
      const first = await target.deliver(items);
      expect(first.map((o) => o.state)).toEqual(['accepted', 'accepted']);
      const again = await target.deliver(items.slice(0, 1));
      expect(again[0]).toMatchObject({
        state: 'accepted',
        platformId: first[0]?.platformId,
        receipt: { duplicate: true },
      });
      expect(sim.stats()).toMatchObject({ accepted: 2, duplicates: 1 });
      const held = sim.licenses().find((l) => l.key === items[0]?.key);
      expect(held?.license.zmxx).toEqual(items[0]?.license.surface);
    } finally {
      await target.close();
    }
  });

  it('gets per-record rejections with the field named and never the value', async () => {
    const target = new SoapXmlTarget('city', soapConfig(sim.url));
    try {
      const bad = deliveryItem(3, { target: 'city' });
      bad.license = { ...bad.license, number: '' };
      const [o] = await target.deliver([bad]);
      expect(o).toMatchObject({ state: 'rejected', reasons: ['zzbh: required (number)'] });
    } finally {
      await target.close();
    }
  });

  it('refuses unsigned, stale and replayed requests; its own requests pass', async () => {
    const unsigned = new SoapXmlTarget(
      'city',
      soapConfig(sim.url, { username: undefined, password: undefined } as never),
    );
    const stale = new SoapXmlTarget('city', soapConfig(sim.url), { clock: () => Date.now() - 10 * 60_000 });
    try {
      const e1 = await failure(unsigned.deliver([deliveryItem(4, { target: 'city' })]));
      expect(e1.code).toBe('LB_TARGET_AUTH');
      expect(e1.message).toMatch(/missing-credentials/);
      const e2 = await failure(stale.deliver([deliveryItem(4, { target: 'city' })]));
      expect(e2.message).toMatch(/stale-timestamp/);
      for (const e of [e1, e2]) {
        expect(e.message).not.toContain(HOLDER_NAME);
        expect(e.message).not.toContain(HOLDER_ID);
        expect(e.retryable).toBe(false);
      }
      // The same signed envelope sent twice: the second is a replay.
      const token = newUsernameToken('district', 'city-password', Date.now());
      const body = submitEnvelope(
        [
          {
            key: 'lic-9:1:city',
            operation: '01',
            license: { zzbs: 'x', zzbh: 'y', czztdm: 'z' },
            signature: { algorithm: 'a', value: 'v', digest: 'd', sealId: 's' },
          },
        ],
        'http://exchange.city.gov.cn/license',
        token,
      );
      const post = () =>
        fetch(sim.url, {
          method: 'POST',
          body,
          headers: { 'content-type': 'text/xml', soapaction: soapAction(CITY_NS, 'SubmitLicenses') },
        }).then((r) => r.text());
      expect(await post()).toContain('SubmitLicensesResponse');
      expect(await post()).toContain('replayed-nonce');
    } finally {
      await unsigned.close();
      await stale.close();
    }
  });
});

describe('SOAP faults and HTTP failures', () => {
  it('maps Server faults and 429 bursts to retryable errors, with Retry-After', async () => {
    const sim = await startCitySoapSimulator({ faults: { errorRate: 1, seed: 1 } });
    const busy = await startCitySoapSimulator({ faults: { throttleRate: 1, retryAfterSeconds: 3, seed: 1 } });
    const a = new SoapXmlTarget('city', soapConfig(sim.url));
    const b = new SoapXmlTarget('city', soapConfig(busy.url));
    try {
      const e1 = await failure(a.deliver([deliveryItem(1, { target: 'city' })]));
      expect(e1).toMatchObject({ code: 'LB_TARGET_UNREACHABLE', retryable: true });
      const e2 = await failure(b.deliver([deliveryItem(1, { target: 'city' })]));
      expect(e2.retryable).toBe(true);
      expect(e2.context.retryAfterMs).toBe(3000);
      expect(sim.stats().accepted + busy.stats().accepted).toBe(0);
    } finally {
      await a.close();
      await b.close();
      await sim.close();
      await busy.close();
    }
  });
});
