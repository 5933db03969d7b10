import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { RestJsonTarget } from '../../adapters/platforms/rest-json/rest-json-target.js';
import { startProvinceSimulator } from '../../adapters/simulators/province/province-simulator.js';
import type { OAuth2AuthConfig } from '../../config/target-types.js';
import { ErrorCodes } from '../../core/errors.js';
import { licbridgeFailure } from '../support/endless-answer.js';
import { deliveryItem, restConfig } from './license-fixture.js';

/**
 * A client whose secret holds `+` (a base64 secret) sent in the form its identity service does not
 * read was refused `invalid_client` at every token request, the error saying HTTP 401 and no more:
 * nothing led to `basicEncoding`. The refusal now names the other form, and only where the two
 * forms differ; it quotes no character of the id or secret.
 */
const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

const CLIENT_ID = `client-${randomBytes(3).toString('hex')}`;

async function refusal(
  service: 'raw' | 'form-urlencoded',
  secretHeld: string,
  secretSent: string,
  client?: 'raw' | 'form-urlencoded',
) {
  const sim = await startProvinceSimulator({
    oauth2: { clientId: CLIENT_ID, clientSecret: secretHeld, basicEncoding: service },
  });
  cleanups.push(() => sim.close());
  const auth: OAuth2AuthConfig = {
    scheme: 'oauth2',
    tokenUrl: `${sim.url}/oauth/token`,
    clientId: CLIENT_ID,
    clientSecret: secretSent,
    refreshSkewSeconds: 60,
    ...(client ? { basicEncoding: client } : {}),
  };
  const t = new RestJsonTarget('province', restConfig(sim.url, { auth, timeoutMs: 5000, attempts: 1 }));
  cleanups.push(() => t.close());
  return licbridgeFailure(t.deliver([deliveryItem(1)]));
}

describe('a client refused at the token endpoint', () => {
  it('whose secret the two forms write differently is pointed to the other basicEncoding', async () => {
    const secret = `${randomBytes(6).toString('hex')}+a/b=`;
    const byDefault = await refusal('form-urlencoded', secret, secret);
    expect(byDefault.code).toBe(ErrorCodes.TARGET_AUTH);
    expect(byDefault.message).toContain('`basicEncoding: form-urlencoded`');
    expect(byDefault.message).not.toContain(secret);
    const encoded = await refusal('raw', secret, secret, 'form-urlencoded');
    expect(encoded.message).toContain('`basicEncoding: raw`');
  });

  it('whose secret both forms write alike is told the refusal alone', async () => {
    const held = randomBytes(8).toString('hex');
    const e = await refusal('form-urlencoded', held, `${held}0`);
    expect(e.code).toBe(ErrorCodes.TARGET_AUTH);
    expect(e.message).not.toContain('basicEncoding');
  });
});
