/**
 * The province simulator checked a request's credentials before it routed it: a POST to a
 * mistyped token path under its base path (`/license/oauth/tokne`) was answered 401
 * `invalid-token`, telling a target whose `tokenUrl` had a typo that its credentials were wrong.
 * A path it does not serve is now answered 404 `no-such-endpoint` whatever credentials come with
 * it, as the platform's gateway routes before its services check anything; a path it serves is
 * still refused without them.
 */
import { afterEach, describe, expect, it } from 'vitest';
import {
  type ProvinceSimulator,
  type ProvinceSimulatorOptions,
  startProvinceSimulator,
} from '../../adapters/simulators/province/province-simulator.js';

const CLIENT = { clientId: 'route-client', clientSecret: 'route-secret-for-tests' };
const BASIC = `Basic ${Buffer.from(`${CLIENT.clientId}:${CLIENT.clientSecret}`).toString('base64')}`;
const FORM = { 'content-type': 'application/x-www-form-urlencoded' };

const sims: ProvinceSimulator[] = [];
afterEach(async () => {
  for (const s of sims.splice(0)) await s.close();
});

async function simulator(options: ProvinceSimulatorOptions): Promise<ProvinceSimulator> {
  const sim = await startProvinceSimulator({ basePath: '/license', ...options });
  sims.push(sim);
  return sim;
}

async function answer(url: string, init: RequestInit): Promise<{ status: number; reason: unknown }> {
  const res = await fetch(url, init);
  const body = (await res.json()) as { reason?: unknown };
  return { status: res.status, reason: body.reason };
}

describe('the province simulator routes a request before it checks its credentials', () => {
  it('a POST to a mistyped token path under the base path is 404, not invalid-token', async () => {
    const sim = await simulator({ oauth2: CLIENT });
    const init = {
      method: 'POST',
      headers: { ...FORM, authorization: BASIC },
      body: 'grant_type=client_credentials',
    };
    expect(await answer(`${sim.url}/oauth/tokne`, init)).toEqual({ status: 404, reason: 'no-such-endpoint' });
    // The right path hands out a token with the same request.
    const issued = await fetch(`${sim.url}/oauth/token`, init);
    expect(issued.status).toBe(200);
    expect(sim.tokens()).toMatchObject({ issued: 1, refused: 0 });
    // A path it serves, without a token: still refused as before.
    expect(
      await answer(`${sim.url}/licenses/batch`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{}',
      }),
    ).toEqual({
      status: 401,
      reason: 'invalid-token',
    });
  });

  it('an unsigned request to a path it does not serve is 404 under every check', async () => {
    const secretRefresh = { appKey: 'route-app', secret: 'route-secret' };
    for (const options of [
      { auth: { appKey: 'route-app', secret: 'route-hmac-secret' } },
      { appkeyMd5: secretRefresh },
      { oauth2: CLIENT },
    ] as ProvinceSimulatorOptions[]) {
      const sim = await simulator(options);
      expect(await answer(`${sim.url}/licenses/batch/extra`, { method: 'POST', body: '{}' })).toEqual({
        status: 404,
        reason: 'no-such-endpoint',
      });
      expect(await answer(`${sim.url}/licenze`, { method: 'GET' })).toEqual({
        status: 404,
        reason: 'no-such-endpoint',
      });
      // A path it serves, unsigned: refused by the check, not answered.
      expect((await answer(`${sim.url}/licenses/current`, { method: 'GET' })).status).toBe(401);
    }
  });
});
