/**
 * A token or secret endpoint answering 404 (a `tokenUrl` or `refreshUrl` with a wrong path) or a
 * redirect (never followed: the credentials would go with it) failed as `HTTP 404` or `HTTP 302`
 * and the origin only, read as refused credentials, and sent the operator checking a client
 * secret that was right. The failure now names where it was refused or where the redirect points
 * (scheme, host, port and path; never a query, which holds the signed `sign` of a secret refresh)
 * and which setting to check.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { AppKeyMd5Auth } from '../../adapters/platforms/shared/auth/appkey-md5-auth.js';
import { OAuth2Auth } from '../../adapters/platforms/shared/auth/oauth2-auth.js';
import { isLicbridgeError, type LicbridgeError } from '../../core/errors.js';
import { type ScriptedReply, startScriptedServer } from './scripted-server.js';

const closers: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const c of closers.splice(0).reverse()) await c();
});

async function answering(reply: ScriptedReply) {
  const server = await startScriptedServer(() => reply);
  closers.push(() => server.close());
  return server;
}

async function refusal(p: Promise<unknown>): Promise<LicbridgeError> {
  try {
    await p;
  } catch (e) {
    if (isLicbridgeError(e)) return e;
    throw e;
  }
  throw new Error('expected a failure');
}

const oauth2 = (tokenUrl: string) =>
  new OAuth2Auth({ tokenUrl, clientId: 'lb', clientSecret: `cs-${process.pid}`, refreshSkewSeconds: 60 });

describe('a credential endpoint at a wrong path or redirecting', () => {
  it('oauth2: a 404 names the token endpoint and tokenUrl', async () => {
    const server = await answering({ status: 404, body: { code: 404, reason: 'no-such-endpoint' } });
    const e = await refusal(oauth2(`${server.url}/oauth/tokens?tenant=3702`).headers());
    expect(e.message).toBe(
      `auth oauth2: token request to ${server.url} failed: HTTP 404: no such endpoint at ${server.url}/oauth/tokens; check the path of the tokenUrl`,
    );
  });

  it('oauth2: a redirect names where it points, without its query', async () => {
    const server = await answering({
      status: 302,
      headers: { location: `https://sso.example.gov.cn/oauth2/token?state=q-${process.pid}` },
      body: '',
    });
    const e = await refusal(oauth2(`${server.url}/oauth/token`).headers());
    expect(e.message).toBe(
      `auth oauth2: token request to ${server.url} failed: HTTP 302: redirected to https://sso.example.gov.cn/oauth2/token; redirects are not followed (a signed request is not sent on to another address): if that is the platform, change the tokenUrl to match`,
    );
  });

  it('appkey-md5: a 404 of the secret refresh names its path, never its signed query', async () => {
    const server = await answering({ status: 404, body: '' });
    const auth = new AppKeyMd5Auth({
      appKey: 'app-1',
      secret: `s-${process.pid}`,
      refreshUrl: `${server.url}/auth/secrets`,
    });
    const e = await refusal(auth.refresh());
    expect(e.message).toContain(
      `HTTP 404: no such endpoint at ${server.url}/auth/secrets; check the path of the refreshUrl`,
    );
    expect(e.message).not.toContain('sign=');
  });
});
