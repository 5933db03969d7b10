/**
 * `licbridge simulator gateway` stands in for a notify target's message gateway. As the province
 * simulator did, it took only the host and port of the target's `url`: with a path
 * (`https://sms.example.gov.cn/gw`) every message, `POST /gw/messages`, was answered 404 and every
 * reminder stayed pending; an https `url` was served plain HTTP. It now serves under the url's
 * path, and HTTPS with the certificate given for an https url, refusing to start without one.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NotifyTargetConfig } from '../../adapters/platforms/notify/config.js';
import { NotifyTarget } from '../../adapters/platforms/notify/notify-target.js';
import { startGatewaySimulator } from '../../adapters/simulators/gateway/gateway-simulator.js';
import { gatewayStandInOptions, type SimulatorTls } from '../../cli/commands/simulator.js';
import type { Config } from '../../config/types.js';
import { ErrorCodes, isLicbridgeError } from '../../core/errors.js';
import { reminderMessage } from '../platforms/notify-answering.js';
import { createTestCa, type IssuedCertificate, type TestCa } from '../support/test-ca.js';

const closers: Array<() => Promise<unknown>> = [];
afterAll(async () => {
  for (const c of closers.splice(0).reverse()) await c().catch(() => undefined);
});

const HMAC = { scheme: 'hmac', appKey: 'app-gw-path', secret: `s-${process.pid}` } as const;

const notifyConfig = (url: string, extra: Partial<NotifyTargetConfig> = {}): NotifyTargetConfig =>
  ({
    kind: 'notify',
    url,
    channel: 'sms',
    auth: HMAC,
    template: 'license-expiry',
    timeoutMs: 5000,
    concurrency: 1,
    attempts: 1,
    backoffMs: 10,
    ...extra,
  }) as NotifyTargetConfig;

const configWith = (url: string): Readonly<Config> =>
  ({
    file: '/etc/licbridge/licbridge.yaml',
    targets: { sms: notifyConfig(url) },
  }) as unknown as Readonly<Config>;

/** The gateway simulator as the command starts it for `url`, on a free port; the url moved there. */
async function standIn(url: string, tls?: SimulatorTls) {
  const sim = await startGatewaySimulator({ ...gatewayStandInOptions(configWith(url), 'sms', tls), port: 0 });
  closers.push(() => sim.close());
  const at = new URL(url);
  at.port = new URL(sim.url).port;
  return { sim, url: at.href };
}

async function send(url: string, extra: Partial<NotifyTargetConfig> = {}) {
  const target = new NotifyTarget('sms', notifyConfig(url, extra));
  try {
    return await target.send(reminderMessage);
  } finally {
    await target.close();
  }
}

describe('the gateway simulator under its target url', () => {
  it.each(['http://127.0.0.1:18444/gw', 'http://127.0.0.1:18444/gw/', 'http://127.0.0.1:18444/sms/v2/gw'])(
    'sends the message of a target with url %s',
    async (configured) => {
      const { sim, url } = await standIn(configured);
      expect(await send(url)).toMatchObject({ state: 'sent' });
      expect(sim.messages()).toHaveLength(1);
      const root = new URL(sim.url).origin;
      for (const at of [`${sim.url}/_sim/messages`, `${root}/_sim/messages`])
        expect(((await (await fetch(at)).json()) as { messages: unknown[] }).messages).toHaveLength(1);
      expect((await fetch(`${root}/messages`, { method: 'POST' })).status).toBe(404);
    },
  );
});

describe('the gateway simulator for an https target url', { timeout: 60_000 }, () => {
  let ca: TestCa;
  let server: IssuedCertificate;
  beforeAll(async () => {
    ca = await createTestCa('gw-root');
    closers.push(() => ca.remove());
    server = await ca.issue('gateway', { cn: 'localhost', sans: ['DNS:localhost', 'IP:127.0.0.1'] });
  });

  it('refuses to start without a certificate, rather than serve plain HTTP', () => {
    let refusal: unknown;
    try {
      gatewayStandInOptions(configWith('https://127.0.0.1:18444/gw'), 'sms');
    } catch (e) {
      refusal = e;
    }
    expect(isLicbridgeError(refusal) && refusal.code).toBe(ErrorCodes.USAGE);
    expect((refusal as Error).message).toContain('--tls-cert and --tls-key');
  });

  it('serves HTTPS with the certificate given, under the path', async () => {
    const { sim, url } = await standIn('https://127.0.0.1:18444/gw', { cert: server.cert, key: server.key });
    expect(sim.url.startsWith('https://')).toBe(true);
    expect(await send(url, { tls: { ca: ca.ca } } as Partial<NotifyTargetConfig>)).toMatchObject({
      state: 'sent',
    });
  });
});
