/**
 * A seal certificate that certifies another key than the signer's (a key rotated and the old
 * certificate left configured, or the wrong file installed): the signer refuses to open with it
 * (adapters/signers/certificate.ts), so nothing is signed or delivered, and `status` says so with
 * the signer's own words, where it judged the certificate's dates alone and said all was well.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateSm2KeyPair } from '../../adapters/signers/local-sm2/keys.js';
import { LocalSm2Signer } from '../../adapters/signers/local-sm2/local-sm2-signer.js';
import type { Config } from '../../config/types.js';
import { certificateAttention, readCertificates } from '../../pipelines/observability/attention.js';
import { makeTempDir, selfSignedCertificate } from '../signers/helpers.js';

describe('status: a seal certificate of another key', () => {
  let dir: string;
  let cleanup: () => void;
  const signerConfig = (keyFile: string) => ({
    kind: 'local-sm2' as const,
    keyFile: join(dir, keyFile),
    certificate: join(dir, 'cert.pem'),
    sealId: 'S1',
    distId: '1234567812345678',
  });
  const configOf = (keyFile: string) =>
    ({ signers: { 'district-seal': signerConfig(keyFile) } }) as unknown as Config;

  beforeAll(() => {
    ({ dir, cleanup } = makeTempDir());
    writeFileSync(join(dir, 'old.pem'), generateSm2KeyPair().privateKeyPem, { mode: 0o600 });
    writeFileSync(join(dir, 'new.pem'), generateSm2KeyPair().privateKeyPem, { mode: 0o600 });
    selfSignedCertificate(dir, { key: 'old.pem', days: 400, out: 'cert.pem' });
  });
  afterAll(() => cleanup());

  it('is named as the signer names it when it opens', async () => {
    const refusal = await new LocalSm2Signer('district-seal', signerConfig('new.pem')).open().then(
      () => 'opened',
      (e: Error) => e.message,
    );
    expect(refusal).toMatch(/^signer district-seal: certificate: .* does not certify the signing key$/);
    const certificates = await readCertificates(configOf('new.pem'));
    const notes = certificateAttention(certificates, new Date(), 'Asia/Shanghai');
    expect(notes).toHaveLength(1);
    expect(notes[0]?.kind).toBe('certificate');
    expect(notes[0]?.message).toMatch(
      /^signer district-seal: certificate: the seal certificate \(serial \w+\) does not certify the signing key; the signer refuses to open with it, so nothing is signed or delivered: install the certificate issued for this key \(licbridge seal install\) or point keyFile at the key it certifies$/,
    );
    // Neither the certificate's path nor any key material is in it.
    expect(notes[0]?.message).not.toContain(dir);
  });

  it('is nothing to say for the key it certifies', async () => {
    const certificates = await readCertificates(configOf('old.pem'));
    expect(certificates[0]?.keyProblem).toBeUndefined();
    expect(certificateAttention(certificates, new Date(), 'Asia/Shanghai')).toEqual([]);
  });
});
