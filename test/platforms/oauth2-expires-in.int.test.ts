/**
 * A token endpoint may give `expires_in` as a JSON number or as its digits in a string
 * (`"expires_in": "600"`, as some gateways serialise every field). The string was ignored and
 * 7,200 s assumed: a token issued for ten minutes was kept for two hours, every request after its
 * tenth minute refused and renewed. A numeric string is read as that number; anything else keeps
 * the 7,200 s fallback, said once in the log (never the answer's value).
 */
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { OAuth2Auth } from '../../adapters/platforms/shared/auth/oauth2-auth.js';
import { type ScriptedServer, startScriptedServer } from './scripted-server.js';

const NOW = Date.UTC(2024, 5, 1, 8, 0, 0);

let server: ScriptedServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** An OAuth2 strategy against a token endpoint answering `expires_in` so, with a settable clock. */
async function issuing(expiresIn: unknown) {
  let issued = 0;
  server = await startScriptedServer(() => {
    issued += 1;
    return {
      status: 200,
      body: {
        access_token: `tok-${issued}`,
        token_type: 'Bearer',
        ...(expiresIn === undefined ? {} : { expires_in: expiresIn }),
      },
    };
  });
  const lines: Record<string, unknown>[] = [];
  const logger = pino({ level: 'info' }, { write: (l: string) => void lines.push(JSON.parse(l)) });
  const clock = { now: NOW };
  const auth = new OAuth2Auth(
    {
      tokenUrl: `${server.url}/oauth/token`,
      clientId: 'district-a',
      clientSecret: 'cs-9d1e',
      refreshSkewSeconds: 60,
    },
    { clock: () => clock.now, logger },
  );
  const bearerAt = async (seconds: number) => {
    clock.now = NOW + seconds * 1000;
    return (await auth.headers()).authorization;
  };
  return { bearerAt, lines };
}

describe('oauth2 expires_in', () => {
  it('reads a numeric string as that many seconds', async () => {
    const { bearerAt, lines } = await issuing('600');
    expect(await bearerAt(0)).toBe('Bearer tok-1');
    expect(await bearerAt(600 - 61)).toBe('Bearer tok-1');
    // Inside the skew of a ten-minute token: renewed, not kept for 7,200 s.
    expect(await bearerAt(600 - 59)).toBe('Bearer tok-2');
    expect(lines).toEqual([]);
  });

  it('reads a JSON number as before', async () => {
    const { bearerAt } = await issuing(600);
    expect(await bearerAt(0)).toBe('Bearer tok-1');
    expect(await bearerAt(600 - 59)).toBe('Bearer tok-2');
  });

  for (const [label, given] of [
    ['text that is no number', 'ten minutes'],
    ['an absent field', undefined],
  ] as const) {
    it(`keeps 7,200 s for ${label}, and says so once`, async () => {
      const { bearerAt, lines } = await issuing(given);
      expect(await bearerAt(0)).toBe('Bearer tok-1');
      expect(await bearerAt(7200 - 61)).toBe('Bearer tok-1');
      expect(await bearerAt(7200 - 59)).toBe('Bearer tok-2');
      expect(await bearerAt(2 * 7200)).toBe('Bearer tok-3');
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatchObject({ level: 40, assumedSeconds: 7200 });
      expect(JSON.stringify(lines)).not.toContain('ten minutes');
    });
  }
});
