/**
 * Over HTTPS (the platforms' and signing servers' client) Node reports a failed handshake as
 * `EPROTO` with OpenSSL's reason in the message only, where a driver connecting over node:tls gets
 * it as a code (ERR_SSL_WRONG_VERSION_NUMBER, …). An `https://` URL pointing at a plain-HTTP port,
 * a server speaking TLCP only, or a server refusing the handshake for want of a client certificate
 * was then no TLS failure at all: a retried "unreachable" naming none of them.
 */

import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import { request } from 'node:https';
import type { AddressInfo } from 'node:net';
import { createServer as createTcpServer, type Server as TcpServer } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { httpsTlsError } from '../../adapters/tls-http.js';
import { ErrorCodes } from '../../core/errors.js';
import { tlsFailureKind } from '../../core/tls.js';

const servers: (TcpServer | HttpServer)[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((resolve) => s.close(resolve))));
});

async function listen<T extends TcpServer | HttpServer>(server: T): Promise<number> {
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

/** A server answering the ClientHello with one TLS alert record of `version` (major, minor). */
const alerting = (version: [number, number], alert: number) =>
  createTcpServer((socket) => {
    socket.once('data', () => socket.end(Buffer.from([0x15, ...version, 0x00, 0x02, 0x02, alert])));
    socket.on('error', () => undefined);
  });

function httpsError(port: number): Promise<unknown> {
  return new Promise((resolve) => {
    const req = request({ host: '127.0.0.1', port, path: '/', agent: false }, (res) => {
      res.resume();
      resolve(new Error(`answered ${res.statusCode}`));
    });
    req.on('error', resolve);
    req.end();
  });
}

const explain = (thrown: unknown, port: number) =>
  httpsTlsError(
    thrown,
    'target province',
    ErrorCodes.TARGET_UNREACHABLE,
    `https://127.0.0.1:${port}/api`,
    {},
  );

describe('a handshake failure over HTTPS, known by its message', () => {
  it('an https URL on a plain-HTTP port is a protocol failure, not retried', async () => {
    const port = await listen(createHttpServer((_req, res) => res.end('plain')));
    const thrown = await httpsError(port);
    expect((thrown as { code?: unknown }).code).toBe('EPROTO');
    const error = await explain(thrown, port);
    expect(tlsFailureKind(error)).toBe('protocol');
    expect(error?.retryable).toBe(false);
    expect(error?.message).toMatch(/^target province: TLS refused: no TLS session could be agreed/);
  });

  it('a TLCP-only server is a protocol failure naming TLCP', async () => {
    const port = await listen(alerting([0x01, 0x01], 0x28));
    const thrown = await httpsError(port);
    expect((thrown as { code?: unknown }).code).toBe('EPROTO');
    const error = await explain(thrown, port);
    expect(tlsFailureKind(error)).toBe('protocol');
    expect(error?.message).toContain('TLCP');
  });

  it('no common TLS version (alert 70) is a protocol failure', async () => {
    const port = await listen(alerting([0x03, 0x03], 70));
    const error = await explain(await httpsError(port), port);
    expect(tlsFailureKind(error)).toBe('protocol');
  });

  it('a handshake refused for want of a client certificate (alert 40) says to set tls.cert', async () => {
    const port = await listen(alerting([0x03, 0x03], 0x28));
    const error = await explain(await httpsError(port), port);
    expect(tlsFailureKind(error)).toBe('client-cert-required');
    expect(error?.message).toContain('`tls.cert`');
  });
});
