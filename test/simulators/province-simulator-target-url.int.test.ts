/**
 * `licbridge simulator province --target T` stands in for a rest-json target. It took only the host
 * and port of the target's `url`: with a path (`https://gateway.example.gov.cn/license`, as
 * docs/sync.md writes it) every request of the target, `POST /license/licenses/batch`, was answered
 * 404, the simulator serving its routes at the root. An https `url` was served plain HTTP, where
 * the target's every request failed its TLS handshake. The simulator now serves under the url's
 * path, and HTTPS with the certificate given for an https url, refusing to start without one.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RestJsonTargetConfig } from '../../adapters/platforms/rest-json/config.js';
import { RestJsonTarget } from '../../adapters/platforms/rest-json/rest-json-target.js';
import { startProvinceSimulator } from '../../adapters/simulators/province/province-simulator.js';
import { type SimulatorTls, simulatorOptionsFor } from '../../cli/commands/simulator.js';
import type { Config } from '../../config/types.js';
import { ErrorCodes, isLicbridgeError } from '../../core/errors.js';
import { deliveryItem, restConfig } from '../platforms/license-fixture.js';
import { createTestCa, type IssuedCertificate, type TestCa } from '../support/test-ca.js';

const closers: Array<() => Promise<unknown>> = [];
afterAll(async () => {
  for (const c of closers.splice(0).reverse()) await c().catch(() => undefined);
});

const configWith = (url: string, auth: Record<string, unknown>): Readonly<Config> =>
  ({
    file: '/etc/licbridge/licbridge.yaml',
    targets: { province: { ...restConfig(url), auth } },
  }) as unknown as Readonly<Config>;

const HMAC = { scheme: 'hmac', appKey: 'app-base-path', secret: `s-${process.pid}` };

/**
 * The simulator as the command starts it for `url` (on a free port instead of the url's), and the
 * target's url moved to that port.
 */
async function standIn(url: string, auth: Record<string, unknown>, tls?: SimulatorTls) {
  const config = configWith(url, auth);
  const sim = await startProvinceSimulator({ ...simulatorOptionsFor(config, 'province', tls), port: 0 });
  closers.push(() => sim.close());
  const at = new URL(url);
  at.port = new URL(sim.url).port;
  return { sim, url: at.href, config };
}

async function deliver(url: string, overrides: Partial<RestJsonTargetConfig>, n: number) {
  const target = new RestJsonTarget('province', restConfig(url, overrides) as RestJsonTargetConfig);
  try {
    return await target.deliver([deliveryItem(n)]);
  } finally {
    await target.close();
  }
}

describe('the province simulator under its target url', () => {
  it.each([
    'http://127.0.0.1:18443/license',
    'http://127.0.0.1:18443/license/',
    'http://127.0.0.1:18443/gw/v1/license',
  ])('serves a target with url %s (HMAC over the whole path)', async (configured) => {
    const { sim, url } = await standIn(configured, HMAC);
    const [outcome] = await deliver(url, { auth: HMAC as RestJsonTargetConfig['auth'] }, 1);
    expect(outcome?.state).toBe('accepted');
    expect(sim.licenses().map((l) => l.key)).toEqual(['lic-000001:1:province']);
    // Its url names the path, the observer's window answers under it and at the root.
    expect(sim.url.endsWith(new URL(configured).pathname.replace(/\/+$/, ''))).toBe(true);
    const root = new URL(sim.url).origin;
    for (const stats of [`${sim.url}/_sim/stats`, `${root}/_sim/stats`])
      expect(((await (await fetch(stats)).json()) as { accepted: number }).accepted).toBe(1);
    // Outside the path, no platform endpoint.
    expect((await fetch(`${root}/licenses/current`)).status).toBe(404);
  });

  it('issues OAuth2 tokens at the root or under the path, whichever the target names', async () => {
    for (const tokenUrl of [
      'http://127.0.0.1:18443/oauth/token',
      'http://127.0.0.1:18443/license/oauth/token',
    ]) {
      const auth = { scheme: 'oauth2', tokenUrl, clientId: 'lb', clientSecret: 'cs', refreshSkewSeconds: 60 };
      const { sim, url } = await standIn('http://127.0.0.1:18443/license', auth);
      const port = new URL(sim.url).port;
      const moved = { ...auth, tokenUrl: tokenUrl.replace('18443', port) } as RestJsonTargetConfig['auth'];
      const [outcome] = await deliver(url, { auth: moved }, 2);
      expect(outcome?.state).toBe('accepted');
    }
  });
});

describe('the province simulator for an https target url', { timeout: 60_000 }, () => {
  let ca: TestCa;
  let server: IssuedCertificate;
  beforeAll(async () => {
    ca = await createTestCa('sim-root');
    closers.push(() => ca.remove());
    server = await ca.issue('province', { cn: 'localhost', sans: ['DNS:localhost', 'IP:127.0.0.1'] });
  });

  it('refuses to start without a certificate, rather than serve plain HTTP', () => {
    let refusal: unknown;
    try {
      simulatorOptionsFor(configWith('https://127.0.0.1:18443/license', HMAC), 'province');
    } catch (e) {
      refusal = e;
    }
    expect(isLicbridgeError(refusal) && refusal.code).toBe(ErrorCodes.USAGE);
    expect((refusal as Error).message).toContain('--tls-cert and --tls-key');
    expect((refusal as Error).message).toContain('/etc/licbridge/licbridge.yaml');
  });

  it('refuses a certificate for an http url, which the target would not speak TLS to', () => {
    expect(() =>
      simulatorOptionsFor(configWith('http://127.0.0.1:18443/license', HMAC), 'province', {
        cert: server.cert,
        key: server.key,
      }),
    ).toThrow(/has an http url/);
  });

  it('serves HTTPS with the certificate given, under the path', async () => {
    const { sim, url } = await standIn('https://127.0.0.1:18443/license', HMAC, {
      cert: server.cert,
      key: server.key,
    });
    expect(sim.url.startsWith('https://')).toBe(true);
    const auth = HMAC as RestJsonTargetConfig['auth'];
    const [outcome] = await deliver(url, { auth, tls: { ca: ca.ca } }, 3);
    expect(outcome?.state).toBe('accepted');
    expect(sim.licenses().map((l) => l.key)).toEqual(['lic-000003:1:province']);
  });
});
