/**
 * The keys a shared credential is sealed and named under are derived from the client secret with
 * scrypt (token-share.ts). A derivation that fails (scrypt refused its memory, a Node build
 * without it) costs only the sharing, as Redis out of reach does: the process fetches a credential
 * of its own. What it says is its own, though: it was told as "the shared token store (Redis)
 * cannot be reached", and an operator looked at a Redis that was up.
 */
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { RestJsonTarget } from '../../adapters/platforms/rest-json/rest-json-target.js';
import type { TokenShare } from '../../adapters/platforms/shared/auth/token-share.js';
import { startProvinceSimulator } from '../../adapters/simulators/province/province-simulator.js';
import { deliveryItem, restConfig } from './license-fixture.js';

// scrypt refuses, as Node's does when its memory limit is passed (a RangeError, thrown at once).
vi.mock('node:crypto', async (original) => {
  const crypto = await original<typeof import('node:crypto')>();
  return {
    ...crypto,
    scrypt: () => {
      throw Object.assign(new RangeError('Invalid scrypt params: memory limit exceeded'), {
        code: 'ERR_CRYPTO_INVALID_SCRYPT_PARAMS',
      });
    },
  };
});

const closers: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const c of closers.splice(0).reverse()) await c();
});

/** A share that is always there: only the keys can fail. */
function memoryShare(): TokenShare & { used: number } {
  const entries = new Map<string, string>();
  return {
    prefix: 'test-keys',
    used: 0,
    async get(key) {
      this.used += 1;
      return entries.get(key);
    },
    async put(key, value) {
      this.used += 1;
      entries.set(key, value);
    },
    async dropIf(key, value) {
      if (entries.get(key) === value) entries.delete(key);
    },
    async lock() {
      this.used += 1;
      return async () => undefined;
    },
  };
}

function capture(lines: string[]) {
  return pino(
    { level: 'info' },
    new Writable({
      write(chunk: Buffer, _enc, done) {
        lines.push(chunk.toString('utf8'));
        done();
      },
    }),
  );
}

const CLIENT = { clientId: 'district-a', clientSecret: 'cs-1d7e0b42' };
const APP = { appKey: 'district-a', secret: 'configured-8c2f1a' };

describe('shared credentials whose keys cannot be derived', () => {
  it('oauth2: delivers with a token of its own, and says the keys failed, not Redis', async () => {
    const sim = await startProvinceSimulator({ oauth2: { ...CLIENT, previous: 'kept' } });
    closers.push(() => sim.close());
    const lines: string[] = [];
    const target = new RestJsonTarget(
      'province',
      restConfig(sim.url, {
        auth: { scheme: 'oauth2', tokenUrl: `${sim.url}/oauth/token`, ...CLIENT, refreshSkewSeconds: 60 },
      }),
      { tokenShare: memoryShare(), logger: capture(lines) },
    );
    closers.push(() => target.close());
    for (const n of [1, 2]) expect((await target.deliver([deliveryItem(n)]))[0]?.state).toBe('accepted');
    const warnings = lines.map((l) => JSON.parse(l) as { level: number; msg: string });
    expect(warnings.map((w) => w.msg)).toEqual([
      expect.stringContaining(
        'target province: auth oauth2: the key to share the token under cannot be derived from the client secret (scrypt); this process fetches and keeps a token of its own',
      ),
    ]);
    expect(lines.join('\n')).not.toContain('cannot be reached');
    expect(lines.join('\n')).toContain('ERR_CRYPTO_INVALID_SCRYPT_PARAMS');
    expect(lines.join('\n')).not.toContain(CLIENT.clientSecret);
  });

  it('appkey-md5: refreshes a secret of its own, and says the keys failed, not Redis', async () => {
    const sim = await startProvinceSimulator({ appkeyMd5: { ...APP, previous: 'kept' } });
    closers.push(() => sim.close());
    const lines: string[] = [];
    const target = new RestJsonTarget(
      'province',
      restConfig(sim.url, { auth: { scheme: 'appkey-md5', ...APP, refreshUrl: `${sim.url}/auth/secret` } }),
      { tokenShare: memoryShare(), logger: capture(lines) },
    );
    closers.push(() => target.close());
    expect((await target.deliver([deliveryItem(1)]))[0]?.state).toBe('accepted');
    const warnings = lines.map((l) => (JSON.parse(l) as { msg: string }).msg);
    expect(warnings).toEqual([
      expect.stringContaining(
        'target province: auth appkey-md5: the key to share the refreshed secret under cannot be derived from the configured secret (scrypt)',
      ),
    ]);
    expect(lines.join('\n')).not.toContain('cannot be reached');
  });
});
