/**
 * An unreadable `Retry-After` of a remote signing server is ignored with a warning, as a platform's
 * is (shared/http-failure.ts parseRetryAfter). The platforms' warnings name the target and the
 * endpoint the request went to (retry-after-warning-names); the signer's named neither, so a
 * deployment with several signers, or a signer and targets, could not tell whose header it was. It
 * now names the signer and the endpoint: scheme, host, port and path, never userinfo or query.
 */
import { Writable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { createLogger, rootLogger, setRootLogger } from '../../core/logger.js';
import { remoteSigner, signFailure } from '../signers/remote-signer-fixture.js';
import { type ScriptedServer, scriptedSigningServer } from '../signers/remote-signer-scripted.js';

const previous = rootLogger();
let server: ScriptedServer | undefined;
afterEach(async () => {
  setRootLogger(previous);
  await server?.close();
  server = undefined;
});

describe("a signing server's unreadable Retry-After", () => {
  it('is warned about naming the signer and the endpoint, without userinfo or query', async () => {
    server = await scriptedSigningServer(() => ({
      status: 503,
      headers: { 'retry-after': '1.5' },
      body: JSON.stringify({ error: 'busy' }),
    }));
    const lines: string[] = [];
    setRootLogger(
      createLogger({
        destination: new Writable({
          write(chunk, _enc, done) {
            lines.push(String(chunk));
            done();
          },
        }),
        level: 'info',
      }),
    );
    const base = new URL(server.url);
    const url = `${base.protocol}//svc:pw-secret@${base.host}/gw/sign-api?token=tk-secret`;
    await signFailure(remoteSigner('city-seal', url, { attempts: 1 }));
    const logged = lines
      .join('')
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    const warning = logged.find((l) => String(l.msg).startsWith('Retry-After ignored'));
    expect(warning).toMatchObject({ from: 'signer city-seal', retryAfter: '1.5' });
    expect(String(warning?.endpoint)).toMatch(new RegExp(`^http://${base.host}/gw/sign-api/`));
    expect(JSON.stringify(logged)).not.toContain('secret');
  });
});
