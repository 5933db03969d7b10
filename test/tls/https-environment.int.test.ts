/**
 * HTTPS to a platform and its credential endpoints is not bent by the process environment. A
 * district host often has `HTTPS_PROXY` set for its internet access. Taken up by the HTTP client,
 * the proxy's answer to `CONNECT` was read as the platform's whenever it was not 200: a proxy
 * refusing the host (403, 407) read as the platform refusing the delivery, and a proxy, or anyone
 * on the plain hop to it, could answer `201` with a receipt of its choosing — no certificate
 * checked, no TLS at all. And a credential URL on another host went out on the global client,
 * which honours `NODE_TLS_REJECT_UNAUTHORIZED=0`: a token fetched from a server nobody verified.
 */
import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import { createServer, type Server } from 'node:https';
import { type AddressInfo, connect, createServer as createTcpServer } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { sendCredentialRequest } from '../../adapters/platforms/shared/auth/credential-request.js';
import { platformHttp } from '../../adapters/tls-http.js';
import { LicbridgeError } from '../../core/errors.js';
import type { TlsSettings } from '../../core/tls.js';
import { createTestCa, type IssuedCertificate, type TestCa } from '../support/test-ca.js';

const FORGED = '{"code":0,"message":"accepted","receiptId":"FORGED-1"}';
const ENV_KEYS = ['HTTPS_PROXY', 'https_proxy', 'HTTP_PROXY', 'http_proxy', 'NO_PROXY', 'no_proxy'];

describe('HTTPS and the environment', { timeout: 60_000 }, () => {
  let gov: TestCa;
  let client: IssuedCertificate;
  let platform: Server;
  let platformPort: number;
  let proxy: HttpServer;
  let proxyUrl: string;
  let proxyConnects = 0;
  const saved = new Map<string, string | undefined>();

  beforeAll(async () => {
    gov = await createTestCa('gov-env');
    const cert = await gov.issue('platform', { cn: 'localhost', sans: ['DNS:localhost', 'IP:127.0.0.1'] });
    client = await gov.issue('district', { cn: 'district-a', client: true });
    // Asks for a client certificate, and answers without one: a token request to another host sends none.
    const options = {
      cert: cert.cert,
      key: cert.key,
      ca: gov.ca,
      requestCert: true,
      rejectUnauthorized: false,
    };
    platform = createServer(options, (_req, res) => {
      res.setHeader('content-type', 'application/json');
      res.end('{"code":0,"from":"platform","access_token":"t","expires_in":60}');
    });
    await new Promise<void>((r) => platform.listen(0, '127.0.0.1', r));
    platformPort = (platform.address() as AddressInfo).port;
    // A proxy that answers every CONNECT itself, with a receipt nobody issued.
    proxy = createHttpServer((_req, res) => res.writeHead(502).end());
    proxy.on('connect', (_req, socket) => {
      proxyConnects += 1;
      socket.end(
        `HTTP/1.1 201 Created\r\ncontent-type: application/json\r\ncontent-length: ${FORGED.length}\r\n\r\n${FORGED}`,
      );
    });
    await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', r));
    proxyUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
    for (const k of [...ENV_KEYS, 'NODE_TLS_REJECT_UNAUTHORIZED']) saved.set(k, process.env[k]);
  });
  afterEach(() => {
    for (const [k, v] of saved) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  });
  afterAll(async () => {
    await new Promise<void>((r) => platform.close(() => r()));
    await new Promise<void>((r) => proxy.close(() => r()));
    await gov.remove();
  });

  const useProxy = () => {
    for (const k of ENV_KEYS) delete process.env[k];
    process.env.HTTPS_PROXY = proxyUrl;
    process.env.https_proxy = proxyUrl;
  };
  const targetTls = (): TlsSettings => ({ ca: gov.ca, cert: client.cert, key: client.key });

  it('a delivery is answered by the platform, verified, with HTTPS_PROXY set', async () => {
    useProxy();
    proxyConnects = 0;
    const { http, close } = platformHttp(5000, targetTls());
    try {
      const answer = await http.post(`https://localhost:${platformPort}/licenses`, '{}');
      expect(answer.status).toBe(200);
      expect(String(answer.data)).toContain('"from":"platform"');
      expect(String(answer.data)).not.toContain('FORGED');
      expect(proxyConnects).toBe(0);
    } finally {
      close();
    }
  });

  it('a token URL on another host is not answered by the proxy either', async () => {
    useProxy();
    proxyConnects = 0;
    const { http, close } = platformHttp(5000, targetTls());
    try {
      const connection = {
        target: 'province',
        url: `https://localhost:${platformPort}`,
        tls: targetTls(),
        http,
      };
      // Another host: verified with the public roots, which do not hold the test CA.
      const sent = sendCredentialRequest(connection, 'token request', {
        method: 'POST',
        url: `https://127.0.0.1:${platformPort}/oauth/token`,
        data: 'grant_type=client_credentials',
        timeoutMs: 5000,
      });
      await expect(sent).rejects.toThrow(
        /target province: token request to https:\/\/127\.0\.0\.1:\d+: TLS refused: the server certificate is not trusted/,
      );
      expect(proxyConnects).toBe(0);
    } finally {
      close();
    }
  });

  it('NODE_TLS_REJECT_UNAUTHORIZED=0 does not switch off verification of a token URL on another host', async () => {
    process.env.NODE_TLS_REJECT_UNAUTHORIZED = '0';
    const { http, close } = platformHttp(5000, targetTls());
    try {
      const connection = {
        target: 'province',
        url: `https://localhost:${platformPort}`,
        tls: targetTls(),
        http,
      };
      const error = await sendCredentialRequest(connection, 'token request', {
        method: 'POST',
        url: `https://127.0.0.1:${platformPort}/oauth/token`,
        data: 'grant_type=client_credentials',
        timeoutMs: 5000,
      }).then(
        (answer) => answer,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(LicbridgeError);
      expect((error as LicbridgeError).message).toContain(
        'TLS refused: the server certificate is not trusted',
      );
      expect((error as LicbridgeError).retryable).toBe(false);
    } finally {
      close();
    }
  });
  it('a platform behind a proxy: a forwarder on this host and `tls.servername`, verified end to end', async () => {
    // What docs/operations.md says to do instead of HTTPS_PROXY: a TCP forwarder (socat's PROXY:
    // through the proxy; here, straight to the platform) and the platform's name in `tls.servername`.
    const named = await gov.issue('platform-named', {
      cn: 'platform.example',
      sans: ['DNS:platform.example'],
    });
    const behind = createServer({ cert: named.cert, key: named.key }, (_req, res) =>
      res.end('{"from":"behind"}'),
    );
    await new Promise<void>((r) => behind.listen(0, '127.0.0.1', r));
    const forwarder = createTcpServer((socket) => {
      const upstream = connect((behind.address() as AddressInfo).port, '127.0.0.1');
      socket.pipe(upstream).pipe(socket);
      upstream.on('error', () => socket.destroy());
      socket.on('error', () => upstream.destroy());
    });
    await new Promise<void>((r) => forwarder.listen(0, '127.0.0.1', r));
    const at = `https://127.0.0.1:${(forwarder.address() as AddressInfo).port}/licenses`;
    const verified = platformHttp(5000, { ca: gov.ca, servername: 'platform.example' });
    const unnamed = platformHttp(5000, { ca: gov.ca });
    try {
      const answer = await verified.http.post(at, '{}');
      expect(String(answer.data)).toContain('"from":"behind"');
      // Without it, the certificate is checked against 127.0.0.1, which it does not name.
      await expect(unnamed.http.post(at, '{}')).rejects.toThrow(/IP: 127\.0\.0\.1 is not in the cert/);
    } finally {
      verified.close();
      unnamed.close();
      await new Promise<void>((r) => forwarder.close(() => r()));
      await new Promise<void>((r) => behind.close(() => r()));
    }
  });
});
