/**
 * The province simulator answered a path it does not serve with `{"code":404,"reason":"not-found"}`,
 * the very answer the platform gives for a license it does not hold. A rest-json target whose url
 * named a wrong path had its deliveries refused, but its reconciliation lookups read every license
 * as absent at the platform: all of them `missing-at-platform`, re-sent by a repair to the same
 * wrong path. An unknown route is now answered 404 with a reason of its own (`no-such-endpoint`),
 * which a lookup does not take for the license being absent, and a listing names the endpoint.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RestJsonTarget } from '../../adapters/platforms/rest-json/rest-json-target.js';
import {
  type ProvinceSimulator,
  startProvinceSimulator,
} from '../../adapters/simulators/province/province-simulator.js';
import { ErrorCodes, isLicbridgeError, type LicbridgeError } from '../../core/errors.js';
import { deliveryItem, restConfig } from '../platforms/license-fixture.js';

let sim: ProvinceSimulator;
beforeAll(async () => {
  sim = await startProvinceSimulator({ basePath: '/license' });
});
afterAll(async () => sim?.close());

async function refusal(p: Promise<unknown>): Promise<LicbridgeError> {
  try {
    await p;
  } catch (e) {
    if (isLicbridgeError(e)) return e;
    throw e;
  }
  throw new Error('expected a failure');
}

describe('the province simulator at a path it does not serve', () => {
  it('is no not-found answer of a license: a lookup through it fails instead of reading it absent', async () => {
    const right = new RestJsonTarget('province', restConfig(sim.url));
    const wrong = new RestJsonTarget('province', restConfig(`${new URL(sim.url).origin}/licence`));
    try {
      const [delivered] = await right.deliver([deliveryItem(1)]);
      expect(delivered?.state).toBe('accepted');
      // The right path: held; a license it does not hold: absent.
      expect((await right.lookup(['lic-000001', 'lic-000002'])).map((r) => r.licenseId)).toEqual([
        'lic-000001',
      ]);
      const e = await refusal(wrong.lookup(['lic-000001']));
      expect(e.code).toBe(ErrorCodes.TARGET_REJECTED);
      expect(e.message).toContain("is not the platform's not-found answer");
      const listing = await refusal(
        (async () => {
          for await (const _ of wrong.list({ chunkSize: 10 })) {
            // a page would be read here
          }
        })(),
      );
      expect(listing.message).toContain(
        `no such endpoint at ${new URL(sim.url).origin}/licence/licenses/current`,
      );
    } finally {
      await right.close();
      await wrong.close();
    }
  });

  it('answers an unknown route with a reason of its own', async () => {
    const res = await fetch(`${sim.url}/licenses/nowhere/at/all`);
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({ code: 404, reason: 'no-such-endpoint' });
    const outside = await fetch(`${new URL(sim.url).origin}/licenses/lic-000001`);
    expect(outside.status).toBe(404);
    expect(await outside.json()).toMatchObject({ reason: 'no-such-endpoint' });
  });
});
