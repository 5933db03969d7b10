/**
 * 501 Not Implemented and 505 HTTP Version Not Supported say the server (or a gateway in front of
 * it) does not serve the request at all: asking again gets the same answer. They were retried as
 * any 5xx is, `attempts` times with backoff, and the sign job retried that again. They now fail at
 * once, not retryable, naming the URL that answered so.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { remoteSigner, signFailure } from './remote-signer-fixture.js';
import { type ScriptedServer, scriptedSigningServer } from './remote-signer-scripted.js';

let server: ScriptedServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe('a sign request answered with a status asking again cannot change', () => {
  for (const [status, what] of [
    [501, 'the server does not implement this request'],
    [505, 'the server does not support the HTTP version of the request'],
  ] as const) {
    it(`${status} fails at once, not retryable, naming the URL`, async () => {
      server = await scriptedSigningServer(() => ({ status, body: JSON.stringify({ message: 'no' }) }));
      const err = await signFailure(remoteSigner('city-seal', server.url, { attempts: 3 }));
      expect(server.answeredAt).toHaveLength(1);
      expect(err.retryable).toBe(false);
      const url = `${server.url}/v1/keys/seal-1/sign`.replace(/[./]/g, '\\$&');
      expect(err.message).toMatch(
        new RegExp(
          `^signer city-seal: POST \\/v1\\/keys\\/seal-1\\/sign: HTTP ${status} from ${url}: ${what}; not asked again \\(check that url is the signing server's API and not a proxy's or portal's page\\): no$`,
        ),
      );
    });
  }

  it('a 500 is still retried', async () => {
    server = await scriptedSigningServer(() => ({ status: 500, body: '{}' }));
    const err = await signFailure(remoteSigner('city-seal', server.url, { attempts: 3 }));
    expect(server.answeredAt).toHaveLength(3);
    expect(err.retryable).toBe(true);
  });
});
