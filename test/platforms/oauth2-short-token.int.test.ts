/**
 * A token issued for no longer than `refreshSkewSeconds` (an identity service handing out 60 s
 * tokens, the skew's default 60 s) was due for renewal the moment it came: every request fetched a
 * token of its own, and where issuing a token retires the previous one, a request still on its way
 * with the previous token was refused. Such a token is kept for the first half of its life.
 */
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { OAuth2Auth } from '../../adapters/platforms/shared/auth/oauth2-auth.js';
import { type ScriptedReply, type ScriptedServer, startScriptedServer } from './scripted-server.js';

const NOW = Date.UTC(2024, 5, 1, 8, 0, 0);

let server: ScriptedServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** A token service answering the n-th request with `reply(n)`, and the bearer at a moment. */
async function tokensFrom(reply: (issued: number) => ScriptedReply, refreshSkewSeconds: number) {
  let issued = 0;
  server = await startScriptedServer(() => {
    issued += 1;
    return reply(issued);
  });
  const clock = { now: NOW };
  const auth = new OAuth2Auth(
    {
      tokenUrl: `${server.url}/oauth/token`,
      clientId: 'district-a',
      clientSecret: 'cs-9d1e',
      refreshSkewSeconds,
    },
    { clock: () => clock.now, logger: pino({ level: 'silent' }) },
  );
  return async (seconds: number) => {
    clock.now = NOW + seconds * 1000;
    return (await auth.headers()).authorization;
  };
}

/** Tokens whose answers give `expires_in` as here. */
const issuing = (expiresIn: number | string, refreshSkewSeconds: number) =>
  tokensFrom(
    (issued) => ({
      status: 200,
      body: { access_token: `tok-${issued}`, token_type: 'Bearer', expires_in: expiresIn },
    }),
    refreshSkewSeconds,
  );

describe('oauth2 token no longer-lived than the renewal skew', () => {
  it('a 60 s token with the default 60 s skew serves requests for its first 30 s', async () => {
    const bearerAt = await issuing(60, 60);
    expect(await bearerAt(0)).toBe('Bearer tok-1');
    expect(await bearerAt(1)).toBe('Bearer tok-1');
    expect(await bearerAt(29)).toBe('Bearer tok-1');
    expect(await bearerAt(31)).toBe('Bearer tok-2');
  });

  it('a 20 s token with a 60 s skew: its first 10 s', async () => {
    const bearerAt = await issuing(20, 60);
    expect(await bearerAt(0)).toBe('Bearer tok-1');
    expect(await bearerAt(9)).toBe('Bearer tok-1');
    expect(await bearerAt(11)).toBe('Bearer tok-2');
  });

  it('a longer token keeps the configured skew', async () => {
    const bearerAt = await issuing(600, 60);
    expect(await bearerAt(0)).toBe('Bearer tok-1');
    expect(await bearerAt(600 - 61)).toBe('Bearer tok-1');
    expect(await bearerAt(600 - 59)).toBe('Bearer tok-2');
  });
});

describe('oauth2 expires_in that gives the token no life', () => {
  // Read as given, a token of 0 s (or less, or beyond any number) was due for renewal as it came,
  // or never: every request fetched one, retiring the one before, or a token was kept for ever.
  for (const [label, expiresIn] of [
    ['0', 0],
    ['a negative number', -30],
    ['"0" as a string', '0'],
  ] as const) {
    it(`${label}: the 7,200 s a token is taken to last when its answer gives none`, async () => {
      const bearerAt = await issuing(expiresIn, 60);
      expect(await bearerAt(0)).toBe('Bearer tok-1');
      expect(await bearerAt(1)).toBe('Bearer tok-1');
      expect(await bearerAt(7200 - 61)).toBe('Bearer tok-1');
      expect(await bearerAt(7200 - 59)).toBe('Bearer tok-2');
    });
  }

  it('a number past any JSON double (1e400): not kept for ever', async () => {
    const bearerAt = await tokensFrom(
      (issued) => ({
        status: 200,
        headers: { 'content-type': 'application/json' },
        body: `{"access_token":"tok-${issued}","token_type":"Bearer","expires_in":1e400}`,
      }),
      60,
    );
    expect(await bearerAt(0)).toBe('Bearer tok-1');
    expect(await bearerAt(7200)).toBe('Bearer tok-2');
  });
});
