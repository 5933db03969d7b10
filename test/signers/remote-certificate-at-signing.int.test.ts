import { readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeSm2Signature } from '../../adapters/signers/local-sm2/der.js';
import { generateSm2KeyPair, loadSm2PrivateKey } from '../../adapters/signers/local-sm2/keys.js';
import { sm2SignDigest } from '../../adapters/signers/local-sm2/sm2.js';
import { RemoteSigner } from '../../adapters/signers/remote/remote-signer.js';
import { ErrorCodes, LicbridgeError } from '../../core/errors.js';
import { makeTempDir, selfSignedCertificate } from './helpers.js';

const DAY = 86_400_000;
const served = generateSm2KeyPair();
const servedKey = loadSm2PrivateKey('served', served.privateKeyPem).privateKey;

describe('remote signer: certificate validity at signing time', () => {
  let dir: string;
  let cleanup: () => void;
  let server: Server;
  let url: string;
  let certificatePem: string;

  beforeAll(async () => {
    ({ dir, cleanup } = makeTempDir());
    writeFileSync(join(dir, 'key.pem'), served.privateKeyPem, { mode: 0o600 });
    selfSignedCertificate(dir, { key: 'key.pem', subject: '/CN=seal', days: 30, out: 'cert.pem' });
    certificatePem = readFileSync(join(dir, 'cert.pem'), 'utf8');
    server = createServer((req, res) => {
      let body = '';
      req.on('data', (c) => {
        body += c;
      });
      req.on('end', () => {
        res.setHeader('content-type', 'application/json');
        if (req.method === 'GET') {
          res.end(JSON.stringify({ publicKey: served.publicKeyPem, certificate: certificatePem }));
          return;
        }
        const { digests } = JSON.parse(body) as { digests: string[] };
        const signatures = digests.map((d) =>
          Buffer.from(encodeSm2Signature(sm2SignDigest(servedKey, Buffer.from(d, 'hex')))).toString('base64'),
        );
        res.end(JSON.stringify({ signatures }));
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise<void>((r) => server.close(() => r()));
    cleanup();
  });

  function signer(clock: { now: Date }, certificate?: string): RemoteSigner {
    return new RemoteSigner(
      'city-seal',
      {
        kind: 'remote',
        url,
        sealId: 'seal-1',
        auth: { scheme: 'none' },
        distId: '1234567812345678',
        batchSize: 50,
        concurrency: 2,
        timeoutMs: 5000,
        attempts: 1,
        backoffMs: 5,
        ...(certificate !== undefined ? { certificate } : {}),
      },
      { now: () => clock.now },
    );
  }

  for (const [what, certificate] of [
    ["the server's certificate", undefined],
    ['a configured certificate', 'cert.pem'],
  ] as const) {
    it(`refuses to sign once ${what} has expired, though it was valid at open()`, async () => {
      const clock = { now: new Date() };
      const s = signer(clock, certificate === undefined ? undefined : join(dir, certificate));
      await s.open();
      try {
        const [first] = await s.sign([Buffer.from('a')]);
        expect(first?.certificateSerial).not.toBeNull();
        expect(first?.signedAt.getTime()).toBe(clock.now.getTime());
        clock.now = new Date(Date.now() + 90 * DAY);
        const err = await s.sign([Buffer.from('b')]).catch((e: unknown) => e);
        expect(err).toBeInstanceOf(LicbridgeError);
        expect((err as LicbridgeError).code).toBe(ErrorCodes.SIGNER_KEY);
        expect((err as LicbridgeError).message).toMatch(/signer city-seal: certificate: .* is expired at/);
      } finally {
        await s.close();
      }
    });
  }
});
