import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readCertificate } from '../../adapters/signers/certificate.js';
import { generateSm2KeyPair } from '../../adapters/signers/local-sm2/keys.js';
import { LocalSm2Signer } from '../../adapters/signers/local-sm2/local-sm2-signer.js';
import { ErrorCodes, LicbridgeError } from '../../core/errors.js';
import { makeTempDir, selfSignedCertificate } from './helpers.js';

const DAY = 86_400_000;

describe('local signer: certificate validity at signing time', () => {
  let dir: string;
  let cleanup: () => void;
  const pair = generateSm2KeyPair();

  beforeAll(() => {
    ({ dir, cleanup } = makeTempDir());
    writeFileSync(join(dir, 'key.pem'), pair.privateKeyPem, { mode: 0o600 });
    selfSignedCertificate(dir, { key: 'key.pem', subject: '/CN=seal', days: 30, out: 'cert.pem' });
  });
  afterAll(() => cleanup());

  function opened(clock: { now: Date }): LocalSm2Signer {
    return new LocalSm2Signer(
      'district-seal',
      {
        kind: 'local-sm2',
        keyFile: join(dir, 'key.pem'),
        certificate: join(dir, 'cert.pem'),
        sealId: 'S1',
        distId: '1234567812345678',
        workers: 0,
      },
      { now: () => clock.now },
    );
  }

  it('refuses to sign once the certificate has expired, though it was valid at open()', async () => {
    const clock = { now: new Date() };
    const signer = opened(clock);
    await signer.open();
    try {
      const [first] = await signer.sign([Buffer.from('a')]);
      expect(first?.signedAt.getTime()).toBe(clock.now.getTime());
      clock.now = new Date(Date.now() + 90 * DAY);
      const err = await signer.sign([Buffer.from('b')]).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(LicbridgeError);
      expect((err as LicbridgeError).code).toBe(ErrorCodes.SIGNER_KEY);
      expect((err as LicbridgeError).retryable).toBe(false);
      expect((err as LicbridgeError).message).toMatch(/signer district-seal: certificate: .* is expired at/);
    } finally {
      await signer.close();
    }
  });

  it('records as signing time the moment it checked the certificate against', async () => {
    const cert = readCertificate('district-seal', join(dir, 'cert.pem'));
    const clock = { now: new Date() };
    const signer = opened(clock);
    await signer.open();
    try {
      clock.now = new Date(cert.notAfter.getTime() - 1000);
      const [rec] = await signer.sign([Buffer.from('c')]);
      expect(rec?.signedAt.getTime()).toBe(clock.now.getTime());
    } finally {
      await signer.close();
    }
  });
});
