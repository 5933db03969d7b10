/**
 * A signing server's request that failed on an HTTP status names the URL that answered, query and
 * user info left out, as a timeout or a refused connection does: `failed after 5 attempts: HTTP
 * 503` said which request failed, not which server (the `url`'s own path, a proxy in front).
 * A final 4xx carries the URL in its context (its message ends with the server's own words).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { remoteSigner, signFailure } from './remote-signer-fixture.js';
import { type ScriptedServer, scriptedSigningServer } from './remote-signer-scripted.js';

let server: ScriptedServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const escaped = (text: string) => text.replace(/[./?]/g, '\\$&');

/** The error signing fails with under `/api?tenant=3702`, every sign request answered `status`. */
async function failing(status: number, headers: Record<string, string> = {}) {
  server = await scriptedSigningServer(() => ({ status, headers, body: JSON.stringify({ message: 'no' }) }));
  const err = await signFailure(
    remoteSigner('city-seal', `${server.url}/api?tenant=3702`, { attempts: 2, maxBackoffMs: 1000 }),
  );
  return { err, url: `${server.url}/api/v1/keys/seal-1/sign` };
}

describe('a request failed on an HTTP status names the URL that answered', () => {
  it('a 5xx on every attempt', async () => {
    const { err, url } = await failing(503);
    expect(err.retryable).toBe(true);
    expect(err.message).toMatch(
      new RegExp(`: POST /v1/keys/seal-1/sign: failed after 2 attempts: HTTP 503 from ${escaped(url)}$`),
    );
    expect(err.message).not.toContain('tenant');
  });

  it('a 503 whose last attempt states Retry-After', async () => {
    const { err, url } = await failing(503, { 'retry-after': '1' });
    expect(err.message).toMatch(
      new RegExp(
        `failed after 2 attempts: HTTP 503: the server asks to wait 1 s \\(Retry-After\\); answered by ${escaped(url)}$`,
      ),
    );
  });

  it('a Retry-After longer than the signer waits', async () => {
    const { err, url } = await failing(503, { 'retry-after': '120' });
    expect(err.message).toMatch(
      new RegExp(`longer than the 1 s this signer waits; giving up for now; answered by ${escaped(url)}$`),
    );
  });

  it('a final 4xx, in its context', async () => {
    const { err, url } = await failing(401);
    expect(err.retryable).toBe(false);
    expect(err.context).toMatchObject({ signer: 'city-seal', url });
  });
});
