/**
 * Reconciliation reads the platform with the target's credentials (rest-json/lookup.ts). Refused
 * with a secret the platform has rotated or a token it has retired, a lookup renews them once and
 * asks again, as a delivery does (shared/auth/with-renewal.ts). Without it, a process that only
 * reconciles — the scheduled full check — failed every check with TARGET_AUTH until some delivery
 * happened to renew the credentials.
 */
import { createHash } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { RestJsonTarget } from '../../adapters/platforms/rest-json/rest-json-target.js';
import { restConfig } from './license-fixture.js';
import { type ScriptedReply, startScriptedServer } from './scripted-server.js';

const closers: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const c of closers.splice(0).reverse()) await c();
});

const md5 = (s: string) => createHash('md5').update(s, 'utf8').digest('hex');
const APP_KEY = 'ak-0042';

describe('lookups refused with rotated credentials', () => {
  it('renew the secret once and read what the platform holds', async () => {
    let refreshes = 0;
    const refused: ScriptedReply = { status: 401, body: { code: 401, reason: 'bad-sign' } };
    const server = await startScriptedServer((_n, req) => {
      const url = new URL(req.url, 'http://p');
      if (url.pathname === '/auth/secret') {
        refreshes += 1;
        return { status: 200, body: { secret: 'secret-v2' } };
      }
      const time = String(req.headers.requesttime ?? '');
      if (req.headers.sign !== md5(`${APP_KEY}secret-v2${time}`)) return refused;
      if (url.pathname === '/licenses/current') return { status: 200, body: { code: 0, items: [] } };
      return { status: 404, body: { code: 404, reason: 'not-found' } };
    });
    closers.push(() => server.close());
    const target = new RestJsonTarget(
      'province',
      restConfig(server.url, {
        timeoutMs: 2000,
        auth: {
          scheme: 'appkey-md5',
          appKey: APP_KEY,
          secret: 'secret-v1',
          refreshUrl: `${server.url}/auth/secret`,
        },
      }),
    );
    closers.push(() => target.close());

    expect(await target.lookup(['lic-000001'])).toEqual([]);
    expect(refreshes).toBe(1);
    const pages: unknown[] = [];
    for await (const page of target.list({ chunkSize: 10 })) pages.push(page);
    expect(pages).toEqual([]);
    expect(refreshes).toBe(1);
  });
});
