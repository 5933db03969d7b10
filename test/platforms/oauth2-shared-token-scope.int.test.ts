/**
 * Two targets with one token endpoint, client id and secret but different `scope`s shared one
 * Redis entry: the second took the first's token, issued for the other scope, and was refused
 * (403) with it — or, refused with it (401), dropped it and fetched its own, retiring the first's.
 * The shared entry is now the scope's: each target keeps a token for the scope it asks for.
 */
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { OAuth2Auth } from '../../adapters/platforms/shared/auth/oauth2-auth.js';
import { RedisTokenShare } from '../../adapters/platforms/shared/auth/token-share.js';
import { type ScriptedServer, startScriptedServer } from './scripted-server.js';

const REDIS_URL = 'redis://127.0.0.1:6379';
const CLIENT = { clientId: 'district-a', clientSecret: 'cs-7f3a9d1e' };

const closers: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const c of closers.splice(0).reverse()) await c();
});

/** A token endpoint issuing tokens named after the scope asked for (`none` without one). */
async function scopedTokens(): Promise<ScriptedServer> {
  const server = await startScriptedServer((n, req) => ({
    status: 200,
    body: {
      access_token: `tok-${new URLSearchParams(req.body).get('scope') ?? 'none'}-${n}`,
      token_type: 'Bearer',
      expires_in: 7200,
    },
  }));
  closers.push(() => server.close());
  return server;
}

/** A share on a fresh prefix, its keys deleted after the test. */
function share(): RedisTokenShare {
  const redis = new Redis(REDIS_URL);
  const prefix = `test-${randomUUID()}`;
  closers.push(async () => {
    const keys = await redis.keys(`${prefix}:*`);
    if (keys.length > 0) await redis.del(...keys);
    redis.disconnect();
  });
  return new RedisTokenShare(redis, prefix);
}

function oauth2(tokenUrl: string, tokenShare: RedisTokenShare, scope?: string): OAuth2Auth {
  return new OAuth2Auth(
    { tokenUrl, ...CLIENT, ...(scope === undefined ? {} : { scope }), refreshSkewSeconds: 60 },
    { tokenShare, logger: pino({ level: 'silent' }) },
  );
}

const scopeOf = (headers: Record<string, string>): string | undefined =>
  /^Bearer tok-(.+)-\d+$/.exec(headers.authorization ?? '')?.[1];

describe('oauth2 token shared per scope', () => {
  it('two targets of one client with scopes deliver and catalog.read each get their own scope’s token', async () => {
    const server = await scopedTokens();
    const tokenShare = share();
    const tokenUrl = `${server.url}/oauth/token`;
    const deliver = oauth2(tokenUrl, tokenShare, 'deliver');
    const catalog = oauth2(tokenUrl, tokenShare, 'catalog.read');
    expect(scopeOf(await deliver.headers())).toBe('deliver');
    expect(scopeOf(await catalog.headers())).toBe('catalog.read');
    // A second process of each shares its scope's token: no third fetch.
    expect(scopeOf(await oauth2(tokenUrl, tokenShare, 'deliver').headers())).toBe('deliver');
    expect(scopeOf(await oauth2(tokenUrl, tokenShare, 'catalog.read').headers())).toBe('catalog.read');
    expect(server.seen).toHaveLength(2);
  });

  it('a target with no scope and one with an empty scope send none, and share one token', async () => {
    const server = await scopedTokens();
    const tokenShare = share();
    const tokenUrl = `${server.url}/oauth/token`;
    expect(scopeOf(await oauth2(tokenUrl, tokenShare).headers())).toBe('none');
    expect(scopeOf(await oauth2(tokenUrl, tokenShare, '').headers())).toBe('none');
    expect(scopeOf(await oauth2(tokenUrl, tokenShare, 'deliver').headers())).toBe('deliver');
    expect(server.seen).toHaveLength(2);
  });
});
