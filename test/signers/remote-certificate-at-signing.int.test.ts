import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateSm2KeyPair, loadSm2PrivateKey } from '../../adapters/signers/local-sm2/keys.js';
import type { RemoteSigner } from '../../adapters/signers/remote/remote-signer.js';
import { ErrorCodes, LicbridgeError } from '../../core/errors.js';
import type { LocalServer } from '../support/listen-local.js';
import { makeTempDir, selfSignedCertificate } from './helpers.js';
import {
  remoteSigner,
  servingKey,
  signaturesAnswer,
  signedWith,
  signingStandIn,
} from './remote-signer-fixture.js';

const DAY = 86_400_000;
const served = generateSm2KeyPair();
const servedKey = loadSm2PrivateKey('served', served.privateKeyPem).privateKey;

describe('remote signer: certificate validity at signing time', () => {
  let dir: string;
  let cleanup: () => void;
  let server: LocalServer;
  let url: string;
  let certificatePem: string;

  beforeAll(async () => {
    ({ dir, cleanup } = makeTempDir());
    writeFileSync(join(dir, 'key.pem'), served.privateKeyPem, { mode: 0o600 });
    selfSignedCertificate(dir, { key: 'key.pem', subject: '/CN=seal', days: 30, out: 'cert.pem' });
    certificatePem = readFileSync(join(dir, 'cert.pem'), 'utf8');
    server = await signingStandIn({
      key: servingKey(served.publicKeyPem, { certificate: certificatePem }),
      sign: (digests, res) => res.end(signaturesAnswer(signedWith(servedKey, digests))),
    });
    url = server.origin;
  });
  afterAll(async () => {
    await server.close();
    cleanup();
  });

  function signer(clock: { now: Date }, certificate?: string): RemoteSigner {
    return remoteSigner(
      'city-seal',
      url,
      { batchSize: 50, ...(certificate !== undefined ? { certificate } : {}) },
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
