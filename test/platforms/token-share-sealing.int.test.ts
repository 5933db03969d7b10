/**
 * What a shared credential's Redis entry gives away, and what the share does with an entry it
 * cannot open. The sealing key is scrypt over the client secret (a guess of a weak secret costs as
 * much against a dump), the entry's name an HMAC under a key derived alike (a known token URL
 * confirms no guessed client id), GCM tags cut short are refused; an entry sealed another way
 * (the former `v1`, another secret, damage) is absent: the credential is fetched anew. The lock
 * taken for a fetch outlasts the fetch's own request bound.
 */
import { createHash, randomUUID } from 'node:crypto';
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Redis } from 'ioredis';
import { pino } from 'pino';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { AppKeyMd5Auth } from '../../adapters/platforms/shared/auth/appkey-md5-auth.js';
import { OAuth2Auth } from '../../adapters/platforms/shared/auth/oauth2-auth.js';
import {
  openToken,
  RedisTokenShare,
  sealToken,
  type TokenClient,
  tokenKey,
} from '../../adapters/platforms/shared/auth/token-share.js';
import { startScriptedServer } from './scripted-server.js';

const REDIS_URL = 'redis://127.0.0.1:6379';
const CLIENT = { clientId: 'district-a', clientSecret: 'cs-7f3a9d1e' };
const silent = pino({ level: 'silent' });

const closers: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const c of closers.splice(0).reverse()) await c();
});

/** A Redis connection and a share on a fresh prefix, its keys deleted after the test. */
function redisShare(): { redis: Redis; share: RedisTokenShare; prefix: string } {
  const redis = new Redis(REDIS_URL);
  const prefix = `test-${randomUUID()}`;
  closers.push(async () => {
    const keys = await redis.keys(`${prefix}:*`);
    if (keys.length > 0) await redis.del(...keys);
    redis.disconnect();
  });
  return { redis, share: new RedisTokenShare(redis, prefix), prefix };
}

/** A token endpoint numbering the tokens it issues. */
async function tokens() {
  const server = await startScriptedServer((n) => ({
    status: 200,
    body: { access_token: `tok-${n}`, token_type: 'Bearer', expires_in: 7200 },
  }));
  closers.push(() => server.close());
  return { server, tokenUrl: `${server.url}/oauth/token` };
}

/** An entry with its GCM tag cut to `bytes`. */
function tagCut(entry: string, bytes: number): string {
  const [version, iv, tag = '', data] = entry.split('.');
  return [version, iv, Buffer.from(tag, 'base64url').subarray(0, bytes).toString('base64url'), data].join(
    '.',
  );
}

describe('shared credential entry', () => {
  it('an entry whose GCM tag is cut short is not opened', async () => {
    const client: TokenClient = { tokenUrl: 'https://idp.example.test/oauth/token', ...CLIENT };
    const entry = await sealToken(client, { value: 'tok-1', renewAt: 1 });
    expect((await openToken(client, entry))?.value).toBe('tok-1');
    expect(await openToken(client, tagCut(entry, 4))).toBeUndefined();
    expect(await openToken(client, tagCut(entry, 12))).toBeUndefined();
  });

  it('is named by a keyed hash: not the plain hash of the URL and client id, and another under another secret', async () => {
    const client: TokenClient = { tokenUrl: 'https://idp.example.test/oauth/token', ...CLIENT };
    const key = await tokenKey('p', client);
    const plain = createHash('sha256')
      .update(`${client.tokenUrl}\n${client.clientId}`)
      .digest('hex')
      .slice(0, 32);
    expect(key).toMatch(/^p:oauth2-token:[0-9a-f]{32}$/);
    expect(key).not.toContain(plain);
    expect(await tokenKey('p', { ...client, clientSecret: 'another' })).not.toBe(key);
    expect(await tokenKey('p', { ...client, scope: 'deliver' })).not.toBe(key);
    // No scope and an empty one are the same request, and the same entry.
    expect(await tokenKey('p', { ...client, scope: '' })).toBe(key);
  });

  it('an entry that cannot be opened (the former v1 form, another secret, a cut tag, damage) is absent: a token is fetched and written over it', async () => {
    const { server, tokenUrl } = await tokens();
    const { redis, share, prefix } = redisShare();
    const client: TokenClient = { tokenUrl, ...CLIENT };
    const key = await tokenKey(prefix, client);
    const sealed = await sealToken(client, { value: 'tok-stale', renewAt: Date.now() + 3600_000 });
    const unreadable = [
      // As the former form was written: v1, its key from HKDF; no longer read.
      `v1.${sealed.split('.').slice(1).join('.')}`,
      await sealToken(
        { ...client, clientSecret: 'another' },
        { value: 'tok-other', renewAt: Date.now() + 3600_000 },
      ),
      tagCut(sealed, 8),
      'not an entry',
    ];
    for (const [i, entry] of unreadable.entries()) {
      await redis.set(key, entry, 'PX', 60_000);
      const auth = new OAuth2Auth(
        { tokenUrl, ...CLIENT, refreshSkewSeconds: 60 },
        { tokenShare: share, logger: silent },
      );
      expect(await auth.headers()).toEqual({ authorization: `Bearer tok-${i}` });
      expect((await openToken(client, (await redis.get(key)) ?? ''))?.value).toBe(`tok-${i}`);
    }
    expect(server.seen).toHaveLength(unreadable.length);
  });
});

/** A secret refresh endpoint that answers only when told to. */
async function heldRefresh() {
  const waiting: ServerResponse[] = [];
  const server = createServer((_req, res) => void waiting.push(res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  closers.push(
    () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  );
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/app/secret`,
    arrived: () => waiting.length,
    answer(secret: string) {
      for (const res of waiting.splice(0)) {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ secret }));
      }
    },
  };
}

describe('shared credential lock', () => {
  it('is held for longer than the request it is taken for may take (a refresh given 20 s)', async () => {
    const refresh = await heldRefresh();
    const { redis, share, prefix } = redisShare();
    const app = { appKey: 'app-7', secret: 'sec-0' };
    const auth = new AppKeyMd5Auth(
      { ...app, refreshUrl: refresh.url },
      { tokenShare: share, logger: silent },
    );
    const lock = `${await tokenKey(prefix, { tokenUrl: refresh.url, clientId: app.appKey, clientSecret: app.secret }, 'appkey-secret')}:lock`;
    // The lock's lifetime as asked of Redis (SET … PX ms NX), not what is left of it when read:
    // that shrinks with every ms the host spends before the read.
    const sent = vi.spyOn(redis, 'call');
    const refreshed = auth.refresh(undefined, 20_000);
    while (refresh.arrived() === 0) await new Promise((r) => setTimeout(r, 10));
    // Held while the fetch is on its way.
    expect(await redis.exists(lock)).toBe(1);
    refresh.answer('sec-1');
    expect(await refreshed).toBe(true);
    const taken = sent.mock.calls.filter((args) => args[0] === 'SET' && args[1] === lock);
    expect(taken).toHaveLength(1);
    expect(taken[0]?.slice(3)).toEqual(['PX', expect.any(Number), 'NX']);
    expect(taken[0]?.[4]).toBeGreaterThan(20_000);
    // Released once the secret is stored.
    expect(await redis.exists(lock)).toBe(0);
  });
});
