/**
 * A lookup or a catalog request answered 401 reached the platform; its one retry with renewed
 * credentials may be held back by a wait the platform asked every caller for meanwhile (another
 * request answered 429 while the token was renewed). The retry's error then says it was not sent
 * again, and is not marked unsent: the first send left, as a batch's does (rest-json-target.ts,
 * shared/send-pause.ts `hold`). Marked unsent, the read was taken for one that never reached the
 * platform.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { fetchCatalogTypes } from '../../adapters/platforms/rest-json/catalog-fetch.js';
import { RestJsonTarget } from '../../adapters/platforms/rest-json/rest-json-target.js';
import { SendPause } from '../../adapters/platforms/shared/send-pause.js';
import { ErrorCodes, LicbridgeError } from '../../core/errors.js';
import { restConfig } from './license-fixture.js';
import { type ScriptedReply, startScriptedServer } from './scripted-server.js';

const closers: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const c of closers.splice(0).reverse()) await c();
});

let targets = 0;

/**
 * A platform answering every read 401 and its token endpoint. The wait for the target starts, as
 * another request answered 429 would start it, when the second token request (the renewal) is
 * asked (`renewal`: the retry is held just before its send), or when the first read is refused
 * (`refusal`: held before its credentials are made).
 */
async function platform(waitFrom: 'renewal' | 'refusal') {
  targets += 1;
  const name = `province-held-read-${process.pid}-${targets}`;
  let tokens = 0;
  let origin = '';
  const startWait = () =>
    new SendPause(name, origin).note(
      new LicbridgeError(ErrorCodes.TARGET_UNREACHABLE, 'busy', { context: { retryAfterMs: 120_000 } }),
    );
  const server = await startScriptedServer((_n, req): ScriptedReply => {
    if (req.url.startsWith('/oauth/token')) {
      tokens += 1;
      if (tokens === 2 && waitFrom === 'renewal') startWait();
      return { status: 200, body: { access_token: `tok-${tokens}`, expires_in: 7200 } };
    }
    if (waitFrom === 'refusal') startWait();
    return { status: 401, body: { code: 401, reason: 'invalid_token' } };
  });
  origin = new URL(server.url).origin;
  closers.push(() => server.close());
  const config = restConfig(server.url, {
    timeoutMs: 2000,
    auth: {
      scheme: 'oauth2',
      tokenUrl: `${server.url}/oauth/token`,
      clientId: 'district',
      clientSecret: 'fake-secret',
      refreshSkewSeconds: 60,
    },
  });
  const reads = () => server.seen.filter((r) => !r.url.startsWith('/oauth/token')).length;
  return { name, config, reads };
}

const failure = (p: Promise<unknown>) =>
  p.then(
    () => undefined,
    (e: unknown) => e as LicbridgeError,
  );

describe.each(['renewal', 'refusal'] as const)(
  'a read answered 401 whose retry is held back by a wait begun at its %s',
  (waitFrom) => {
    it('a lookup: not marked unsent, the first send reached the platform', async () => {
      const { name, config, reads } = await platform(waitFrom);
      const target = new RestJsonTarget(name, config);
      closers.push(() => target.close());
      const error = await failure(target.lookup(['L1']));
      expect(error).toMatchObject({ code: ErrorCodes.TARGET_UNREACHABLE, retryable: true });
      expect(error?.message).toContain('not sent again with renewed credentials');
      expect(error?.context.unsent).toBeUndefined();
      expect(reads()).toBe(1);
    });

    it('a catalog request: not marked unsent, the first send reached the platform', async () => {
      const { name, config, reads } = await platform(waitFrom);
      const error = await failure(fetchCatalogTypes(name, config));
      expect(error).toMatchObject({ code: ErrorCodes.TARGET_UNREACHABLE, retryable: true });
      expect(error?.message).toContain('not sent again with renewed credentials');
      expect(error?.context.unsent).toBeUndefined();
      expect(reads()).toBe(1);
    });
  },
);
