/**
 * Token and secret requests of a target over its own `tls`. A platform on a government network
 * serves its upload API and its credential endpoints (OAuth2 token, app-secret refresh) on one
 * host, with a certificate from a private CA, and demands the unit's client certificate on every
 * connection. With the CA and client certificate in the target's `tls`, the token and the
 * refreshed secret are fetched and the delivery goes through; without the CA, the token request
 * is refused with a message naming the target and what to fix. A token URL on another host does
 * not get the target's `tls`, and its error says so; `auth.tls` gives it settings of its own,
 * validated like any `tls:` and flagged by `config check` when it skips verification.
 */
import { createHash } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import type { IncomingMessage } from 'node:http';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TLSSocket } from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RestJsonTarget } from '../../adapters/platforms/rest-json/rest-json-target.js';
import { loadConfig } from '../../config/loader.js';
import type { TargetAuthConfig } from '../../config/target-types.js';
import { insecureTlsSettings } from '../../config/tls-findings.js';
import { ErrorCodes, LicbridgeError } from '../../core/errors.js';
import type { TlsSettings } from '../../core/tls.js';
import { deliveryItem, restConfig } from '../platforms/license-fixture.js';
import { createTestCa, type IssuedCertificate, type TestCa } from '../support/test-ca.js';

const CLIENT_ID = 'district-client';
const CLIENT_SECRET = 'district-client-secret';
const APP_KEY = 'district-app';
const OLD_SECRET = 'secret-retired';
const NEW_SECRET = 'secret-current';

/** A request as the platform saw it, with the client certificate it came with. */
interface Seen {
  path: string;
  clientCn: string | undefined;
}

const OAUTH2_LINES = [
  'scheme: oauth2',
  'tokenUrl: "https://id.example/oauth/token"',
  'clientId: c',
  'clientSecret: s',
];

const md5 = (s: string) => createHash('md5').update(s, 'utf8').digest('hex');

describe('credential requests over the target’s TLS', { timeout: 60_000 }, () => {
  let gov: TestCa;
  let client: IssuedCertificate;
  let server: Server;
  let port: number;
  const seen: Seen[] = [];

  /** The platform: HTTPS from the government CA, client certificates required, three routes. */
  function platform(req: IncomingMessage, body: string): { status: number; doc: unknown } {
    const url = new URL(req.url ?? '/', 'https://platform');
    const cert = (req.socket as TLSSocket).getPeerCertificate();
    seen.push({
      path: url.pathname,
      clientCn: typeof cert?.subject?.CN === 'string' ? cert.subject.CN : undefined,
    });
    const reply = (status: number, doc: unknown) => ({ status, doc });
    if (url.pathname === '/oauth/token') {
      const basic = Buffer.from(`${CLIENT_ID}:${CLIENT_SECRET}`).toString('base64');
      if (req.headers.authorization !== `Basic ${basic}`) return reply(401, { error: 'invalid_client' });
      return reply(200, { access_token: 'token-1', token_type: 'bearer', expires_in: 7200 });
    }
    if (url.pathname === '/auth/secret') {
      const q = url.searchParams;
      const ok =
        q.get('appKey') === APP_KEY &&
        q.get('sign') === md5(`${APP_KEY}${OLD_SECRET}${q.get('requestTime')}`);
      return ok ? reply(200, { secret: NEW_SECRET }) : reply(401, { code: 401 });
    }
    if (url.pathname === '/api/licenses/batch') {
      const bearer = req.headers.authorization === 'Bearer token-1';
      const time = String(req.headers.requesttime ?? '');
      const signed = req.headers.sign === md5(`${APP_KEY}${NEW_SECRET}${time}`);
      if (!bearer && !signed) return reply(401, { code: 401, reason: 'unauthorized' });
      const { items } = JSON.parse(body) as { items: { key: string }[] };
      return reply(200, {
        code: 0,
        results: items.map((i) => ({ key: i.key, status: 'accepted', platformId: `P-${i.key}` })),
      });
    }
    return reply(404, { code: 404 });
  }

  beforeAll(async () => {
    gov = await createTestCa('gov-root');
    const cert = await gov.issue('platform', { cn: 'localhost', sans: ['DNS:localhost', 'IP:127.0.0.1'] });
    client = await gov.issue('department', { cn: 'department-a', client: true });
    server = createServer(
      { cert: cert.cert, key: cert.key, ca: gov.ca, requestCert: true, rejectUnauthorized: true },
      (req, res) => {
        const chunks: Buffer[] = [];
        req.on('data', (c: Buffer) => chunks.push(c));
        req.on('end', () => {
          const { status, doc } = platform(req, Buffer.concat(chunks).toString('utf8'));
          res.writeHead(status, { 'content-type': 'application/json' });
          res.end(JSON.stringify(doc));
        });
      },
    );
    // A refused handshake is what some tests expect; the server has nothing to say about it.
    server.on('tlsClientError', () => undefined);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(async () => {
    if (server) {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
    await gov?.remove();
  });

  const base = () => `https://127.0.0.1:${port}`;
  const withCa = (): TlsSettings => ({ ca: gov.ca, cert: client.cert, key: client.key });
  const oauth2 = (tokenUrl = `${base()}/oauth/token`): TargetAuthConfig => ({
    scheme: 'oauth2',
    tokenUrl,
    clientId: CLIENT_ID,
    clientSecret: CLIENT_SECRET,
    refreshSkewSeconds: 60,
  });

  async function deliver(auth: TargetAuthConfig, tls: TlsSettings, n: number) {
    const target = new RestJsonTarget('province', restConfig(`${base()}/api`, { auth, tls }));
    try {
      return await target.deliver([deliveryItem(n)]);
    } finally {
      await target.close();
    }
  }

  async function failure(p: Promise<unknown>): Promise<LicbridgeError> {
    const e = await p.then(
      () => undefined,
      (err: unknown) => err,
    );
    if (!(e instanceof LicbridgeError)) throw new Error(`expected a LicbridgeError, got ${String(e)}`);
    return e;
  }

  it('oauth2: the token comes from a private-CA endpoint on the platform host, with the client certificate', async () => {
    seen.length = 0;
    const [outcome] = await deliver(oauth2(), withCa(), 1);
    expect(outcome).toMatchObject({ state: 'accepted', platformId: 'P-lic-000001:1:province' });
    expect(seen.map((s) => s.path)).toEqual(['/oauth/token', '/api/licenses/batch']);
    expect(seen.every((s) => s.clientCn === 'department-a')).toBe(true);
  });

  it('appkey-md5: the refreshed secret comes over the same TLS, and the refused batch then passes', async () => {
    seen.length = 0;
    const auth: TargetAuthConfig = {
      scheme: 'appkey-md5',
      appKey: APP_KEY,
      secret: OLD_SECRET,
      refreshUrl: `${base()}/auth/secret`,
    };
    const [outcome] = await deliver(auth, withCa(), 2);
    expect(outcome?.state).toBe('accepted');
    expect(seen.map((s) => s.path)).toEqual(['/api/licenses/batch', '/auth/secret', '/api/licenses/batch']);
    expect(seen.every((s) => s.clientCn === 'department-a')).toBe(true);
  });

  it('without `tls.ca`: the token request is refused, naming the target and the CA to configure', async () => {
    seen.length = 0;
    const err = await failure(deliver(oauth2(), { cert: client.cert, key: client.key }, 3));
    expect(err.code).toBe(ErrorCodes.TARGET_UNREACHABLE);
    expect(err.retryable).toBe(false);
    expect(err.message).toMatch(
      /^target province: auth oauth2: token request to https:\/\/127\.0\.0\.1:\d+: TLS refused: the server certificate is not trusted .*put the issuing CA in `tls\.ca`/,
    );
    expect(err.message).toContain('CN=localhost');
    expect(err.context).toMatchObject({ target: 'province' });
    expect(err.message).not.toContain(CLIENT_SECRET);
    expect(seen).toEqual([]);
  });

  it('a token URL on another host does not get the target’s `tls`, and the error says so', async () => {
    seen.length = 0;
    const err = await failure(deliver(oauth2(`https://localhost:${port}/oauth/token`), withCa(), 4));
    expect(err.message).toMatch(
      /^target province: auth oauth2: token request to https:\/\/localhost:\d+: TLS refused: the server certificate is not trusted/,
    );
    expect(err.message).toContain("the target's `tls` does not apply to it");
    expect(seen).toEqual([]);
  });

  it('`auth.tls` gives a token URL on another host its own CA and client certificate', async () => {
    seen.length = 0;
    const auth = { ...oauth2(`https://localhost:${port}/oauth/token`), tls: withCa() } as TargetAuthConfig;
    const [outcome] = await deliver(auth, withCa(), 5);
    expect(outcome?.state).toBe('accepted');
    expect(seen.map((s) => s.path)).toEqual(['/oauth/token', '/api/licenses/batch']);
    expect(seen.every((s) => s.clientCn === 'department-a')).toBe(true);
  });

  it('`auth.tls` without the CA: refused, the message naming `auth.tls`', async () => {
    const auth = {
      ...oauth2(`https://localhost:${port}/oauth/token`),
      tls: { cert: client.cert, key: client.key },
    } as TargetAuthConfig;
    const err = await failure(deliver(auth, withCa(), 6));
    expect(err.message).toMatch(
      /^target province: auth oauth2: token request to https:\/\/localhost:\d+: TLS refused: the server certificate is not trusted .*\(TLS settings: `auth\.tls`/,
    );
  });

  it('in a config file: `auth.tls` is checked like any `tls:`, and skipping verification there is flagged', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'lb-auth-tls-'));
    try {
      const write = async (tlsLines: string[], authLines = OAUTH2_LINES) => {
        const file = join(dir, 'licbridge.yaml');
        await writeFile(
          file,
          [
            'ledger: { url: "sqlite://:memory:" }',
            'catalog: ./catalog',
            'targets:',
            '  province:',
            '    kind: rest-json',
            '    url: "https://platform.example/api"',
            '    auth:',
            ...authLines.map((l) => `      ${l}`),
            '      tls:',
            ...tlsLines.map((l) => `        ${l}`),
            '',
          ].join('\n'),
        );
        return loadConfig({ file, env: {} });
      };
      const typo = await write(['caa: "PEM"']).catch((e: Error) => e);
      expect(typo).toBeInstanceOf(Error);
      expect((typo as Error).message).toMatch(/caa/);
      const insecure = await write(['insecureSkipVerify: true']);
      expect(insecureTlsSettings(insecure, {})).toEqual([
        expect.stringMatching(
          /^target province auth: TLS certificate verification is off \(`targets\.province\.auth\.tls\.insecureSkipVerify`\)/,
        ),
      ]);
      // appkey-md5 makes a request of its own only to `refreshUrl`: TLS settings without one would go unused.
      const unused = await write(['ca: "PEM"'], ['scheme: appkey-md5', 'appKey: k', 'secret: s']).catch(
        (e: Error) => e,
      );
      expect((unused as Error).message).toContain('missing required key `refreshUrl` (needed with `tls`)');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
