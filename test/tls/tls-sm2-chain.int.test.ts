/**
 * A server certificate issued by an SM2 CA (a GM/TLCP chain: the certificate signed SM2-with-SM3
 * with GB/T 35276's distinguishing ID, 1234567812345678) is refused by Node's OpenSSL as a
 * certificate signature failure even with that CA in `tls.ca`: it checks SM2 certificate
 * signatures without that ID (`openssl verify` fails alike, and passes only with
 * `-vfyopt distid:1234567812345678`). The refusal said "put the issuing CA in `tls.ca`", which
 * the operator had done. It now says it is an SM2 chain and that such chains need a TLCP gateway.
 * A server that answers in TLCP only (record version 1.1) was told as "no TLS on this port, or no
 * common TLS version", naming neither TLCP nor the gateway.
 */
import { readFileSync } from 'node:fs';
import { request } from 'node:https';
import type { AddressInfo } from 'node:net';
import { createServer as createTcpServer, type Server as TcpServer } from 'node:net';
import { join } from 'node:path';
import { connect, createServer, type Server } from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { httpsTlsError } from '../../adapters/tls-http.js';
import { ErrorCodes } from '../../core/errors.js';
import { tlsFailureKind } from '../../core/tls.js';
import { explainTlsFailure } from '../../core/tls-probe.js';
import { makeTempDir, openssl } from '../signers/helpers.js';

let dir: string;
let cleanup: () => void;
const at = (f: string) => join(dir, f);

function run(args: string[]): void {
  const r = openssl(args, dir);
  if (r.status !== 0) throw new Error(`openssl ${args[0]} failed: ${r.output}`);
}

/** The error an HTTPS request to `port` fails with, trusting `ca`. */
function requestError(port: number, ca: string | undefined): Promise<unknown> {
  return new Promise((resolve) => {
    const req = request(
      { host: '127.0.0.1', port, path: '/', method: 'GET', ...(ca ? { ca } : {}), agent: false },
      (res) => {
        res.resume();
        resolve(new Error(`answered ${res.statusCode}`));
      },
    );
    req.on('error', resolve);
    req.end();
  });
}

const listen = async <T extends Server | TcpServer>(server: T): Promise<number> => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
};

describe('a server certificate of an SM2 CA', () => {
  let server: Server;
  let port: number;
  let sm2Ca: string;

  beforeAll(async () => {
    ({ dir, cleanup } = makeTempDir());
    run(['genpkey', '-algorithm', 'SM2', '-out', 'ca.key']);
    run([
      'req',
      '-x509',
      '-new',
      '-key',
      'ca.key',
      '-sm3',
      '-sigopt',
      'distid:1234567812345678',
      '-subj',
      '/CN=SM2 Test CA',
      '-days',
      '30',
      '-out',
      'ca.pem',
      '-addext',
      'basicConstraints=critical,CA:TRUE',
      '-addext',
      'keyUsage=critical,keyCertSign',
    ]);
    // The server's own key is P-256 (TLS 1.2/1.3 can use it); its certificate is signed by the SM2 CA.
    run(['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-out', 'srv.key']);
    run(['req', '-new', '-key', 'srv.key', '-subj', '/CN=localhost', '-out', 'srv.csr']);
    run([
      'req',
      '-x509',
      '-in',
      'srv.csr',
      '-CA',
      'ca.pem',
      '-CAkey',
      'ca.key',
      '-sm3',
      '-sigopt',
      'distid:1234567812345678',
      '-days',
      '10',
      '-out',
      'srv.pem',
      '-addext',
      'subjectAltName=IP:127.0.0.1',
    ]);
    sm2Ca = readFileSync(at('ca.pem'), 'utf8');
    server = createServer({ key: readFileSync(at('srv.key')), cert: readFileSync(at('srv.pem')) }, (s) =>
      s.end(),
    );
    port = await listen(server);
  });

  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
    cleanup();
  });

  it('with that CA in tls.ca: told as an SM2 chain needing a gateway, not to put the CA in tls.ca', async () => {
    const thrown = await requestError(port, sm2Ca);
    expect((thrown as { code?: unknown }).code).toBe('CERT_SIGNATURE_FAILURE');
    const error = await httpsTlsError(
      thrown,
      'signer city-seal',
      ErrorCodes.SIGNER_FAILED,
      `https://127.0.0.1:${port}/v1`,
      { ca: sm2Ca },
    );
    expect(tlsFailureKind(error)).toBe('untrusted');
    expect(error?.retryable).toBe(false);
    expect(error?.message).toMatch(/^signer city-seal: TLS refused: /);
    expect(error?.message).toContain('SM2');
    expect(error?.message).toContain('TLCP gateway');
    expect(error?.message).not.toContain('put the issuing CA in `tls.ca`');
    expect(error?.message).toContain('subject CN=localhost');
  });

  it('without that CA in tls.ca: told to put the issuing CA there, as any certificate', async () => {
    const thrown = await requestError(port, undefined);
    const error = await httpsTlsError(
      thrown,
      'signer city-seal',
      ErrorCodes.SIGNER_FAILED,
      `https://127.0.0.1:${port}/v1`,
      undefined,
    );
    expect(tlsFailureKind(error)).toBe('untrusted');
    expect(error?.message).toContain('put the issuing CA in `tls.ca`');
  });

  it('read from the certificate itself (SM2-with-SM3), as a driver reports it', async () => {
    const thrown = await requestError(port, sm2Ca);
    const error = await explainTlsFailure(
      thrown,
      { connection: 'source market-food (postgres)', code: ErrorCodes.SOURCE_UNREACHABLE },
      { host: '127.0.0.1', port, startTls: 'direct' },
    );
    expect(error?.message).toContain('SM2');
    expect(error?.message).toContain('TLCP gateway');
    expect(error?.message).not.toContain('put the issuing CA in `tls.ca`');
  });
});

describe('a server that answers in TLCP only', () => {
  let server: TcpServer;
  let port: number;

  beforeAll(async () => {
    // A TLCP server (GB/T 38636) answers a TLS ClientHello with records of version 1.1 (0x0101):
    // here a handshake_failure alert.
    server = createTcpServer((socket) => {
      socket.once('data', () => socket.end(Buffer.from([0x15, 0x01, 0x01, 0x00, 0x02, 0x02, 0x28])));
      socket.on('error', () => undefined);
    });
    port = await listen(server);
  });
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
  });

  it('is told as a protocol failure that names TLCP and the gateway', async () => {
    // As a driver connecting over node:tls meets it (ERR_SSL_WRONG_VERSION_NUMBER).
    const thrown = await new Promise<unknown>((resolve) => {
      const socket = connect({ host: '127.0.0.1', port });
      socket.on('error', resolve);
      socket.on('secureConnect', () => resolve(new Error('handshake done')));
    });
    const error = await explainTlsFailure(
      thrown,
      { connection: 'source market-food (postgres)', code: ErrorCodes.SOURCE_UNREACHABLE },
      { host: '127.0.0.1', port, startTls: 'direct' },
    );
    expect(tlsFailureKind(error)).toBe('protocol');
    expect(error?.message).toMatch(
      /^source market-food \(postgres\): TLS refused: no TLS session could be agreed/,
    );
    expect(error?.message).toContain('TLCP');
    expect(error?.message).toContain('gateway');
  });
});
