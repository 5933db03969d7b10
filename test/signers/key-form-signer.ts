/**
 * A local-sm2 signer opened on a key file written in another form than its certificate's key (a
 * compressed point, explicit curve parameters), in a folder holding `cert.pem` issued for the key
 * and `pub.pem` (its public key as OpenSSL writes it).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import { keyId, readCertificate } from '../../adapters/signers/certificate.js';
import { LocalSm2Signer } from '../../adapters/signers/local-sm2/local-sm2-signer.js';

/** The signer of `keyFile` in `dir`, not opened, with the certificate issued for the key. */
export function keyFormSigner(dir: string, keyFile: string): LocalSm2Signer {
  return new LocalSm2Signer('district-seal', {
    kind: 'local-sm2',
    keyFile: join(dir, keyFile),
    certificate: join(dir, 'cert.pem'),
    sealId: 'S1',
    distId: '1234567812345678',
    workers: 0,
  });
}

/**
 * Opens the signer of `keyFile`, signs, and checks it signs under the certificate and reports the
 * certificate's key (ledger, verifiers), as OpenSSL writes it.
 */
export async function expectSignsAsCertified(dir: string, keyFile: string): Promise<void> {
  const signer = keyFormSigner(dir, keyFile);
  await signer.open();
  try {
    const [rec] = await signer.sign([Buffer.from('licence')]);
    expect(rec?.certificateSerial).toBe(readCertificate('t', join(dir, 'cert.pem')).serial);
    expect(signer.publicKeyPem()).toBe(readFileSync(join(dir, 'pub.pem'), 'utf8'));
    expect(signer.keyInfo().keyId).toBe(keyId(readFileSync(join(dir, 'pub.pem'), 'utf8')));
  } finally {
    await signer.close();
  }
}
