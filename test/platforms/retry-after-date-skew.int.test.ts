/**
 * A `Retry-After` written as an HTTP-date (RFC 9110 §10.2.3) is a time on the platform's clock,
 * the clock its answer's `Date` is written by (§6.6.1). It was read against this host's clock: a
 * host 10 minutes ahead of the platform read "try again in 2 minutes" as a time long past, no wait
 * at all, and the deliveries went back to the backoff of seconds into the same throttle; a host
 * behind it waited minutes more than asked. With a `Date` on the answer, the wait is now the
 * `Retry-After` date less that `Date`; without one it is read against this host's clock, as before.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { NotifyTarget } from '../../adapters/platforms/notify/notify-target.js';
import { RestJsonTarget } from '../../adapters/platforms/rest-json/rest-json-target.js';
import { faultEnvelope } from '../../adapters/platforms/soap-xml/envelope.js';
import { SoapXmlTarget } from '../../adapters/platforms/soap-xml/soap-xml-target.js';
import { isLicbridgeError } from '../../core/errors.js';
import { deliveryItem, restConfig } from './license-fixture.js';
import { reminderMessage } from './notify-answering.js';
import { type ScriptedReply, startScriptedServer } from './scripted-server.js';

const closers: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const c of closers.splice(0).reverse()) await c();
});

/** The platform's clock, whole seconds (an HTTP-date has no finer ones). */
const PLATFORM_NOW = Date.UTC(2026, 11, 5, 9, 0, 0);
const date = (ms: number) => new Date(ms).toUTCString();
/** Busy, until two minutes after the platform's now. */
const throttled = (status: number, body: unknown, extra: Record<string, string> = {}): ScriptedReply => ({
  status,
  headers: { date: date(PLATFORM_NOW), 'retry-after': date(PLATFORM_NOW + 120_000), ...extra },
  body,
});

async function answering(reply: ScriptedReply): Promise<string> {
  const server = await startScriptedServer(() => reply);
  closers.push(() => server.close());
  return server.url;
}

async function waitAsked(p: Promise<unknown>): Promise<unknown> {
  const e = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  if (!isLicbridgeError(e)) throw new Error(`expected a licbridge error, got ${String(e)}`);
  return e.context.retryAfterMs;
}

const restTarget = (url: string, skewMs: number) => {
  const t = new RestJsonTarget('province', restConfig(url, { timeoutMs: 2000 }), {
    clock: () => PLATFORM_NOW + skewMs,
  });
  closers.push(() => t.close());
  return t;
};

describe('Retry-After as an HTTP-date, this host 10 minutes ahead of the platform', () => {
  const AHEAD = 10 * 60_000;

  it('rest-json batch answered 429: the wait is the two minutes asked', async () => {
    const url = await answering(throttled(429, { code: 429, reason: 'too-many-requests' }));
    expect(await waitAsked(restTarget(url, AHEAD).deliver([deliveryItem(1)]))).toBe(120_000);
  });

  it('rest-json batch answered 200 with a busy code: the wait is the two minutes asked', async () => {
    const url = await answering(throttled(200, { code: 503, reason: 'busy' }));
    expect(await waitAsked(restTarget(url, AHEAD).deliver([deliveryItem(1)]))).toBe(120_000);
  });

  it('soap-xml answered a Server fault with 503: the wait is the two minutes asked', async () => {
    const url = await answering(
      throttled(503, faultEnvelope('Server', 'Server.Busy: too many requests', true), {
        'content-type': 'text/xml; charset=utf-8',
      }),
    );
    const config = { kind: 'soap-xml', url, batchSize: 50, timeoutMs: 2000, concurrency: 1, attempts: 1 };
    const t = new SoapXmlTarget('city', config as never, { clock: () => PLATFORM_NOW + AHEAD });
    closers.push(() => t.close());
    expect(await waitAsked(t.deliver([deliveryItem(1)]))).toBe(120_000);
  });

  it('notify answered 429: the wait is the two minutes asked', async () => {
    const url = await answering(throttled(429, { code: 429 }));
    const t = new NotifyTarget(
      'sms',
      {
        kind: 'notify',
        url,
        channel: 'sms',
        auth: { scheme: 'none' },
        template: 'license-expiry',
        timeoutMs: 2000,
        concurrency: 1,
        attempts: 1,
        backoffMs: 10,
      },
      { clock: () => PLATFORM_NOW + AHEAD },
    );
    closers.push(() => t.close());
    expect(await waitAsked(t.send(reminderMessage))).toBe(120_000);
  });

  it('an OAuth2 token endpoint answered 429: the wait is the two minutes asked', async () => {
    const url = await answering(throttled(429, { error: 'slow_down' }));
    const t = new RestJsonTarget(
      'province',
      restConfig(url, {
        timeoutMs: 2000,
        auth: {
          scheme: 'oauth2',
          tokenUrl: `${url}/oauth/token`,
          clientId: 'district-a',
          clientSecret: 'secret-for-this-test',
          refreshSkewSeconds: 60,
        },
      }),
      { clock: () => PLATFORM_NOW + AHEAD },
    );
    closers.push(() => t.close());
    expect(await waitAsked(t.deliver([deliveryItem(1)]))).toBe(120_000);
  });
});

describe('Retry-After as an HTTP-date, this host 30 minutes behind the platform', () => {
  it('rest-json batch answered 429: the wait is the two minutes asked, not 32', async () => {
    const url = await answering(throttled(429, { code: 429 }));
    expect(await waitAsked(restTarget(url, -30 * 60_000).deliver([deliveryItem(1)]))).toBe(120_000);
  });
});

describe('Retry-After without a Date on the answer', () => {
  it('is read against this host clock, as before', async () => {
    const url = await answering({
      status: 429,
      // Node writes a Date of its own unless one is given: an empty one stands for none.
      headers: { date: '', 'retry-after': date(PLATFORM_NOW + 120_000) },
      body: { code: 429 },
    });
    expect(await waitAsked(restTarget(url, 60_000).deliver([deliveryItem(1)]))).toBe(60_000);
  });

  it('delay-seconds are taken as they are, whatever the Date', async () => {
    const url = await answering(throttled(429, { code: 429 }, { 'retry-after': '7' }));
    expect(await waitAsked(restTarget(url, 10 * 60_000).deliver([deliveryItem(1)]))).toBe(7000);
  });
});
