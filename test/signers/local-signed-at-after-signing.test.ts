/**
 * The signing time a local signer records is when its signatures were made, checked against the
 * certificate then. A batch handed to the signing threads waits behind the batches before it (the
 * sign jobs of every pipeline share the pool) and is signed later: the time was read, and the
 * certificate checked, as the batch was handed over, so a certificate that ended meanwhile gave
 * signatures made after its end, recorded as made within it, which `verify` then took as valid.
 * The remote signer stamps a batch when its answer came (remote-signer-signed-at.int.test.ts).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readCertificate, type SealCertificate } from '../../adapters/signers/certificate.js';
import { generateSm2KeyPair } from '../../adapters/signers/local-sm2/keys.js';
import { LocalSm2Signer } from '../../adapters/signers/local-sm2/local-sm2-signer.js';
import { ErrorCodes, LicbridgeError } from '../../core/errors.js';
import { makeTempDir, selfSignedCertificate } from './helpers.js';

describe('local signer: the signing time is when the signatures were made', () => {
  let dir: string;
  let cleanup: () => void;
  let cert: SealCertificate;

  beforeAll(() => {
    ({ dir, cleanup } = makeTempDir());
    writeFileSync(join(dir, 'key.pem'), generateSm2KeyPair().privateKeyPem, { mode: 0o600 });
    selfSignedCertificate(dir, { key: 'key.pem', days: 30, out: 'cert.pem' });
    cert = readCertificate('district-seal', join(dir, 'cert.pem'));
  });
  afterAll(() => cleanup());

  function opened(clock: { now: Date }, workers: number): LocalSm2Signer {
    return new LocalSm2Signer(
      'district-seal',
      {
        kind: 'local-sm2',
        keyFile: join(dir, 'key.pem'),
        certificate: join(dir, 'cert.pem'),
        sealId: 'S1',
        distId: '1234567812345678',
        workers,
      },
      { now: () => clock.now },
    );
  }

  it('a certificate that ends while the batch is with a signing thread: refused, nothing handed back', async () => {
    const clock = { now: new Date(cert.notAfter.getTime() - 1000) };
    const signer = opened(clock, 1);
    await signer.open();
    try {
      const signing = signer.sign([Buffer.from('{"license":1}'), Buffer.from('{"license":2}')]);
      // Handed to the thread; the certificate ends before it has signed.
      clock.now = new Date(cert.notAfter.getTime() + 1000);
      const err = await signing.catch((e: unknown) => e);
      expect(err).toBeInstanceOf(LicbridgeError);
      expect((err as LicbridgeError).code).toBe(ErrorCodes.SIGNER_KEY);
      expect((err as LicbridgeError).retryable).toBe(false);
      expect((err as LicbridgeError).message).toMatch(
        new RegExp(
          `^signer district-seal: certificate: .*cert\\.pem \\(serial ${cert.serial}\\) is expired at ${clock.now.toISOString()}`,
        ),
      );
    } finally {
      await signer.close();
    }
  });

  it('records the time the thread handed the signatures back', async () => {
    const handedOver = new Date(cert.notAfter.getTime() - 60_000);
    const clock = { now: handedOver };
    const signer = opened(clock, 1);
    await signer.open();
    try {
      const signing = signer.signDigests([Buffer.alloc(32, 7)]);
      clock.now = new Date(handedOver.getTime() + 5000);
      const [record] = await signing;
      expect(record?.signedAt.toISOString()).toBe(clock.now.toISOString());
    } finally {
      await signer.close();
    }
  });
});
