/**
 * probeClientRejection, which explains a request's bare connection reset by handshaking once more
 * and watching how the server ends it, read every end after the handshake as the server refusing
 * our client certificate. A server that asks for no certificate and resets each connection once
 * its handshake is done (a TLS terminator whose backend is down, a firewall) was reported as
 * `client-cert-required`, or `client-cert-rejected` with a certificate configured, and so was a
 * TLS 1.2 server closing after its handshake, which judges a certificate before it finishes the
 * handshake. Only a TLS 1.3 handshake closed without a reset, or an alert, names the certificate;
 * any other end leaves the reset unexplained. Servers on loopback with a CA made by the test.
 */
import { type AddressInfo, createServer as createNetServer, type Server } from 'node:net';
import { createSecureContext, createServer, type SecureVersion, TLSSocket } from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { probeClientRejection, type TlsEndpoint } from '../../core/tls-probe.js';
import { createTestCa, type IssuedCertificate, type TestCa } from '../support/test-ca.js';

let gov: TestCa;
let rogue: TestCa;
let server: IssuedCertificate;
let client: IssuedCertificate;
let rogueClient: IssuedCertificate;
const servers: Server[] = [];

beforeAll(async () => {
  gov = await createTestCa('probe-gov');
  rogue = await createTestCa('probe-rogue');
  server = await gov.issue('server', { cn: 'localhost', sans: ['DNS:localhost', 'IP:127.0.0.1'] });
  client = await gov.issue('client', { cn: 'department', client: true });
  rogueClient = await rogue.issue('intruder', { cn: 'intruder', client: true });
});
afterAll(async () => {
  for (const s of servers) await new Promise<void>((r) => s.close(() => r()));
  await gov?.remove();
  await rogue?.remove();
});

async function listening(s: Server): Promise<TlsEndpoint> {
  servers.push(s);
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  return { host: '127.0.0.1', port: (s.address() as AddressInfo).port, startTls: 'direct' };
}

/**
 * A server asking for no client certificate that ends each connection once its handshake is done:
 * with a reset (`reset`), or closing it (`close`), as a Node server refusing a certificate after a
 * TLS 1.3 handshake does.
 */
function droppingServer(how: 'reset' | 'close', maxVersion: SecureVersion): Promise<TlsEndpoint> {
  const context = createSecureContext({ cert: server.cert, key: server.key, maxVersion });
  const s = createNetServer((raw) => {
    const tls = new TLSSocket(raw, { isServer: true, secureContext: context });
    tls.on('error', () => undefined);
    raw.on('error', () => undefined);
    tls.on('secure', () => (how === 'reset' ? raw.resetAndDestroy() : tls.end()));
  });
  return listening(s);
}

/** A server that demands a client certificate its CA issued (Node's own check, after the handshake). */
function mutualServer(maxVersion: SecureVersion): Promise<TlsEndpoint> {
  const s = createServer({
    cert: server.cert,
    key: server.key,
    ca: gov.ca,
    requestCert: true,
    rejectUnauthorized: true,
    maxVersion,
  });
  s.on('tlsClientError', () => undefined);
  return listening(s);
}

// Functions, called in the tests: the certificates are made in beforeAll.
const trusting = () => ({ ca: gov.ca, rejectUnauthorized: true });
const withCert = () => ({ ...trusting(), cert: client.cert, key: client.key });
const withRogueCert = () => ({ ...trusting(), cert: rogueClient.cert, key: rogueClient.key });

describe('a reset the client certificate does not explain', () => {
  it('leaves a reset right after a TLS 1.3 handshake unexplained', async () => {
    const endpoint = await droppingServer('reset', 'TLSv1.3');
    expect(await probeClientRejection(endpoint, trusting())).toBeUndefined();
    expect(await probeClientRejection(endpoint, withCert())).toBeUndefined();
  });

  it('leaves a TLS 1.2 server closing after its handshake unexplained', async () => {
    const endpoint = await droppingServer('close', 'TLSv1.2');
    expect(await probeClientRejection(endpoint, trusting())).toBeUndefined();
    expect(await probeClientRejection(endpoint, withCert())).toBeUndefined();
  });

  it('leaves a reset before the handshake unexplained', async () => {
    const s = createNetServer((raw) => raw.resetAndDestroy());
    const endpoint = await listening(s);
    expect(await probeClientRejection(endpoint, trusting())).toBeUndefined();
  });
});

describe('a server refusing the client certificate', () => {
  it('is named under TLS 1.3: none sent, or one of another CA', async () => {
    const endpoint = await mutualServer('TLSv1.3');
    expect(await probeClientRejection(endpoint, trusting())).toBe('client-cert-required');
    expect(await probeClientRejection(endpoint, withRogueCert())).toBe('client-cert-rejected');
  });

  it('is named under TLS 1.2 when the server says why', async () => {
    const endpoint = await mutualServer('TLSv1.2');
    expect(await probeClientRejection(endpoint, trusting())).toBe('client-cert-required');
  });

  it('is named when a TLS 1.3 handshake is closed without a reset, as Node servers refuse', async () => {
    const endpoint = await droppingServer('close', 'TLSv1.3');
    expect(await probeClientRejection(endpoint, trusting())).toBe('client-cert-required');
    expect(await probeClientRejection(endpoint, withCert())).toBe('client-cert-rejected');
  });
});
