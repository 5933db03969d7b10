import { afterEach, describe, expect, it } from 'vitest';
import {
  RestJsonTarget,
  type RestJsonTargetOptions,
} from '../../adapters/platforms/rest-json/rest-json-target.js';
import { HmacAuth } from '../../adapters/platforms/shared/auth/hmac-auth.js';
import {
  type ProvinceSimulator,
  startProvinceSimulator,
} from '../../adapters/simulators/province/province-simulator.js';
import { ErrorCodes, LicbridgeError } from '../../core/errors.js';
import { deliveryItem, HOLDER_ID, HOLDER_NAME, restConfig } from './license-fixture.js';

const APP_KEY = 'west-coast-app';
const SECRET = 's3cr3t-Province-Key-0042';
/** The simulator and the adapter share a fixed clock so that skew is decided by the test alone. */
const NOW = Date.UTC(2024, 5, 1, 8, 0, 0);

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function simulator(clock: () => number = () => NOW): Promise<ProvinceSimulator> {
  const sim = await startProvinceSimulator({ auth: { appKey: APP_KEY, secret: SECRET }, clock });
  cleanups.push(() => sim.close());
  return sim;
}

function target(url: string, options: RestJsonTargetOptions = {}, secret = SECRET): RestJsonTarget {
  const t = new RestJsonTarget(
    'province',
    restConfig(url, { auth: { scheme: 'hmac', appKey: APP_KEY, secret } }),
    {
      clock: () => NOW,
      ...options,
    },
  );
  cleanups.push(() => t.close());
  return t;
}

async function failure(p: Promise<unknown>): Promise<LicbridgeError> {
  const e = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  if (!(e instanceof LicbridgeError)) throw new Error(`expected a LicbridgeError, got ${String(e)}`);
  return e;
}

/** Everything an error would show in a log line or a report, including its cause. */
function everything(e: LicbridgeError): string {
  const cause = e.cause instanceof Error ? `${e.cause.message} ${e.cause.stack ?? ''}` : String(e.cause);
  return `${e.message} ${e.stack ?? ''} ${JSON.stringify(e)} ${JSON.stringify(e.context)} ${cause}`;
}

describe('province simulator authentication, through the rest-json target', () => {
  it('accepts correctly signed requests', async () => {
    const sim = await simulator();
    const outcomes = await target(sim.url).deliver([deliveryItem(1), deliveryItem(2)]);
    expect(outcomes.map((o) => o.state)).toEqual(['accepted', 'accepted']);
    expect(sim.licenses()).toHaveLength(2);
  });

  it('refuses an unsigned request with 401 and a JSON reason', async () => {
    const sim = await simulator();
    const res = await fetch(`${sim.url}/licenses/batch`, { method: 'POST', body: '{"items":[]}' });
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({ code: 401, reason: 'missing-credentials' });
    const err = await failure(
      target(sim.url, { auth: { headers: async () => ({}) } }).deliver([deliveryItem(1)]),
    );
    expect(err).toMatchObject({ code: ErrorCodes.TARGET_AUTH, retryable: false });
    expect(err.context.reason).toBe('missing-credentials');
    expect(sim.stats().received).toBe(0);
  });

  it('refuses a wrong secret as a non-retryable TARGET_AUTH that shows neither secret nor personal data', async () => {
    const sim = await simulator();
    const wrongSecret = 'not-the-S3cret-9911';
    const err = await failure(target(sim.url, {}, wrongSecret).deliver([deliveryItem(1)]));
    expect(err).toMatchObject({ code: ErrorCodes.TARGET_AUTH, retryable: false });
    expect(err.context.reason).toBe('bad-signature');
    expect(err.message).toBe(
      `target province: batch upload to ${sim.url} failed: credentials refused: HTTP 401 (bad-signature)`,
    );
    for (const secretOrPersonal of [wrongSecret, SECRET, HOLDER_NAME, HOLDER_ID]) {
      expect(everything(err)).not.toContain(secretOrPersonal);
    }
  });

  it('refuses a timestamp more than 5 minutes from the platform clock, either way', async () => {
    const sim = await simulator();
    for (const skew of [-6 * 60_000, 6 * 60_000]) {
      const err = await failure(target(sim.url, { clock: () => NOW + skew }).deliver([deliveryItem(1)]));
      expect(err).toMatchObject({ code: ErrorCodes.TARGET_AUTH, retryable: false });
      expect(err.context.reason).toBe('stale-timestamp');
    }
    // Inside the window is fine.
    const ok = await target(sim.url, { clock: () => NOW - 4 * 60_000 }).deliver([deliveryItem(1)]);
    expect(ok[0]?.state).toBe('accepted');
  });

  it('refuses a replayed nonce, and forgets it once it has left the skew window', async () => {
    let simNow = NOW;
    const sim = await simulator(() => simNow);
    const t = target(sim.url, { nonce: () => 'same-nonce-every-time', clock: () => simNow });
    expect((await t.deliver([deliveryItem(1)]))[0]?.state).toBe('accepted');

    const err = await failure(t.deliver([deliveryItem(2)]));
    expect(err).toMatchObject({ code: ErrorCodes.TARGET_AUTH, retryable: false });
    expect(err.context.reason).toBe('replayed-nonce');
    expect(sim.licenses()).toHaveLength(1);

    simNow = NOW + 6 * 60_000;
    expect((await t.deliver([deliveryItem(2)]))[0]?.state).toBe('accepted');
  });

  it('refuses a body altered after signing', async () => {
    const sim = await simulator();
    const auth = new HmacAuth({ appKey: APP_KEY, secret: SECRET }, { clock: () => NOW, nonce: () => 'n-1' });
    const headers = await auth.headers({ method: 'POST', path: '/licenses/batch', body: '{"items":[1]}' });
    const res = await fetch(`${sim.url}/licenses/batch`, { method: 'POST', headers, body: '{"items":[2]}' });
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({ reason: 'bad-signature' });
  });

  it('authenticates lookups too, signing the path with its query string', async () => {
    const sim = await simulator();
    await target(sim.url).deliver([deliveryItem(1)]);
    const path = `/licenses?identifier=${encodeURIComponent(deliveryItem(1).license.identifier)}`;
    const auth = new HmacAuth({ appKey: APP_KEY, secret: SECRET }, { clock: () => NOW });

    const signed = await fetch(`${sim.url}${path}`, {
      headers: await auth.headers({ method: 'GET', path, body: '' }),
    });
    expect(signed.status).toBe(200);
    expect(((await signed.json()) as { items: unknown[] }).items).toHaveLength(1);

    const otherPath = await auth.headers({ method: 'GET', path: '/licenses', body: '' });
    expect((await fetch(`${sim.url}${path}`, { headers: otherPath })).status).toBe(401);
  });

  it('never shows the secret when the strategy is serialised', () => {
    const auth = new HmacAuth({ appKey: APP_KEY, secret: SECRET });
    expect(JSON.stringify({ auth })).not.toContain(SECRET);
  });
});
