/**
 * A token endpoint refusing the client (401 on the token request) refuses the configured client
 * credentials: nothing reached the platform, so there is no stale token to renew. The request was
 * renewed as if the platform had refused it, and the token endpoint asked a second time with the
 * same credentials (a second refusal, a second failure logged). It now fails at once, for good,
 * naming the target and the token endpoint's origin, never the secret; a 401 from the platform
 * after a send is still renewed once (token-refused-mid-batch.int.test.ts).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { RestJsonTarget } from '../../adapters/platforms/rest-json/rest-json-target.js';
import { ErrorCodes, isLicbridgeError } from '../../core/errors.js';
import { deliveryItem, restConfig } from './license-fixture.js';
import { type ScriptedServer, startScriptedServer } from './scripted-server.js';

const SECRET = 'fake-secret-refused';

const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of closers.splice(0).reverse()) await c();
});

async function servers(): Promise<{ tokens: ScriptedServer; platform: ScriptedServer }> {
  const tokens = await startScriptedServer(() => ({ status: 401, body: { error: 'invalid_client' } }));
  closers.push(() => tokens.close());
  const platform = await startScriptedServer(() => ({ status: 500, body: { code: 500 } }));
  closers.push(() => platform.close());
  return { tokens, platform };
}

let made = 0;
function target(tokens: ScriptedServer, platform: ScriptedServer): { name: string; target: RestJsonTarget } {
  made += 1;
  const name = `province-token-refused-${process.pid}-${made}`;
  const t = new RestJsonTarget(
    name,
    restConfig(platform.url, {
      auth: {
        scheme: 'oauth2',
        tokenUrl: `${tokens.url}/oauth/token`,
        clientId: 'district-fake',
        clientSecret: SECRET,
        refreshSkewSeconds: 60,
      },
    }),
  );
  closers.push(() => t.close());
  return { name, target: t };
}

const failure = (p: Promise<unknown>) =>
  p.then(
    () => undefined,
    (e: unknown) => e,
  );

describe('a token endpoint refusing the client', () => {
  it('fails a delivery at once: one token request, nothing sent to the platform', async () => {
    const { tokens, platform } = await servers();
    const { name, target: t } = target(tokens, platform);

    const error = await failure(t.deliver([deliveryItem(1)]));

    expect(tokens.seen).toHaveLength(1);
    expect(platform.seen).toHaveLength(0);
    expect(isLicbridgeError(error)).toBe(true);
    if (!isLicbridgeError(error)) return;
    expect(error).toMatchObject({ code: ErrorCodes.TARGET_AUTH, retryable: false });
    expect(error.context).toMatchObject({ target: name, origin: tokens.url, unsent: true });
    expect(error.message).toContain(name);
    expect(error.message).toContain(tokens.url);
    expect(JSON.stringify({ message: error.message, context: error.context })).not.toContain(SECRET);
  });

  it('fails a lookup at once too: one token request', async () => {
    const { tokens, platform } = await servers();
    const { target: t } = target(tokens, platform);

    const error = await failure(t.lookup(['lic-000001']));

    expect(tokens.seen).toHaveLength(1);
    expect(platform.seen).toHaveLength(0);
    expect(error).toMatchObject({ code: ErrorCodes.TARGET_AUTH, retryable: false });
  });
});
