/**
 * A lookup answered 404 that is not the platform's own not-found answer (a gateway's page for a
 * route it does not know, most often a wrong path in the target's `url`) failed naming the status
 * and content type only. It now names the endpoint refused (scheme, host, port and path, never the
 * url's userinfo or query) and the setting to check, as a batch upload's, status request's and
 * reminder's 404 do (wrong-path-named.int.test.ts).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { RestJsonTarget } from '../../adapters/platforms/rest-json/rest-json-target.js';
import { ErrorCodes } from '../../core/errors.js';
import { licbridgeFailure } from '../support/endless-answer.js';
import { restConfig } from './license-fixture.js';
import { startScriptedServer } from './scripted-server.js';

const closers: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const c of closers.splice(0).reverse()) await c();
});

describe('a lookup answered a 404 that is not the not-found answer', () => {
  it('names the endpoint refused, without the url’s userinfo or query', async () => {
    const server = await startScriptedServer(() => ({
      status: 404,
      headers: { 'content-type': 'text/html' },
      body: '<html>404 Not Found</html>',
    }));
    closers.push(() => server.close());
    const at = new URL(server.url);
    const url = `${at.protocol}//op:pw-${process.pid}@${at.host}/licence?appSecret=q-${process.pid}`;
    const target = new RestJsonTarget('province', restConfig(url, { timeoutMs: 2000 }));
    closers.push(() => target.close());

    const e = await licbridgeFailure(target.lookup(['lic-000001']));
    expect(e.code).toBe(ErrorCodes.TARGET_REJECTED);
    expect(e.message).toBe(
      `target province: lookup failed: HTTP 404 (text/html) is not the platform's not-found answer (a route missing at a gateway?): no such endpoint at ${at.origin}/licence/licenses/lic-000001; check the path of the target's url; licenses cannot be compared with it`,
    );
    for (const secret of [`pw-${process.pid}`, `q-${process.pid}`, 'op:'])
      expect(e.message).not.toContain(secret);
    // The request did go to the path configured, with its query: only the message leaves them out.
    expect(server.seen[0]?.url).toBe(`/licence/licenses/lic-000001?appSecret=q-${process.pid}`);
  });
});
