import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { RestJsonTarget } from '../../adapters/platforms/rest-json/rest-json-target.js';
import {
  type ProvinceSimulator,
  startProvinceSimulator,
} from '../../adapters/simulators/province/province-simulator.js';
import type { OAuth2AuthConfig } from '../../config/target-types.js';
import { deliveryItem, restConfig } from './license-fixture.js';

/**
 * RFC 6749 §2.3.1: the client id and secret are each form-urlencoded before they go into HTTP
 * Basic, and identity services that follow it (Keycloak, Spring Authorization Server) decode them.
 * A secret holding `+`, `:` or `%` sent raw reached them otherwise (`+` a space, `%` undecodable),
 * and every token request was refused `invalid_client`. `basicEncoding: form-urlencoded` sends the
 * conforming form; `raw`, the default, what other services compare as written.
 */
const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

// Generated per run; each holds a character form-urlencoding writes otherwise.
const CLIENT_ID = `licbridge client:${randomBytes(3).toString('hex')}`;
const SECRET = `${randomBytes(6).toString('base64url')}+/=:%zz%41~é`;

async function simulator(basicEncoding: 'raw' | 'form-urlencoded'): Promise<ProvinceSimulator> {
  const sim = await startProvinceSimulator({
    oauth2: { clientId: CLIENT_ID, clientSecret: SECRET, basicEncoding },
  });
  cleanups.push(() => sim.close());
  return sim;
}

function target(sim: ProvinceSimulator, basicEncoding?: 'raw' | 'form-urlencoded'): RestJsonTarget {
  const auth: OAuth2AuthConfig = {
    scheme: 'oauth2',
    tokenUrl: `${sim.url}/oauth/token`,
    clientId: CLIENT_ID,
    clientSecret: SECRET,
    refreshSkewSeconds: 60,
    ...(basicEncoding ? { basicEncoding } : {}),
  };
  const t = new RestJsonTarget('province', restConfig(sim.url, { auth, timeoutMs: 5000, attempts: 1 }));
  cleanups.push(() => t.close());
  return t;
}

describe('oauth2 client credentials in HTTP Basic', () => {
  it('with basicEncoding: form-urlencoded, a secret holding + : % is admitted by a service that decodes them', async () => {
    const sim = await simulator('form-urlencoded');
    const outcomes = await target(sim, 'form-urlencoded').deliver([deliveryItem(1)]);
    expect(outcomes.map((o) => o.state)).toEqual(['accepted']);
    expect(sim.tokens()).toMatchObject({ issued: 1 });
  });

  it('by default sends them raw, as a service comparing them as written takes them', async () => {
    const sim = await simulator('raw');
    const outcomes = await target(sim).deliver([deliveryItem(1)]);
    expect(outcomes.map((o) => o.state)).toEqual(['accepted']);
    expect(sim.tokens()).toMatchObject({ issued: 1 });
  });

  it('the simulator refuses either form where the service expects the other', async () => {
    for (const [service, client] of [
      ['form-urlencoded', 'raw'],
      ['raw', 'form-urlencoded'],
    ] as const) {
      const sim = await simulator(service);
      const failed = await target(sim, client)
        .deliver([deliveryItem(1)])
        .then(
          () => undefined,
          (e: unknown) => e,
        );
      expect(failed, `${client} against ${service}`).toBeInstanceOf(Error);
      expect(sim.tokens().issued).toBe(0);
      expect(sim.licenses()).toHaveLength(0);
      // Neither the secret nor the id is told.
      expect(String((failed as Error).message)).not.toContain(SECRET);
    }
  });
});
