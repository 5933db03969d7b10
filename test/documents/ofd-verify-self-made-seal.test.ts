// A seal its holder made with its own key is not a properly made seal (GB/T 38540: a seal maker
// makes it), whatever the trust says of the holder. The maker's certificate in a seal is outside
// the maker's signature, so whoever holds the holder's key chooses its bytes: the same certificate
// written with a longer length (BER, which OpenSSL reads as the same certificate), or another
// certificate of the holder's key. Both were taken for a maker other than the holder, and a file
// sealed with such a seal verified when the holder's key was trusted in both roles.
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issueLicenseFiles } from '../../adapters/documents/ofd/issue-license-file.js';
import type { TrustedMaterial } from '../../adapters/documents/ofd/ofd-trust.js';
import { verifyOfd } from '../../adapters/documents/ofd/ofd-verify.js';
import { parseCertificate } from '../../adapters/signers/certificate.js';
import { LocalSm2Signer } from '../../adapters/signers/local-sm2/local-sm2-signer.js';
import { decodeSeal, encodeSeal } from '../../adapters/signers/ses/seal-format.js';
import { SealSigner } from '../../adapters/signers/ses/seal-signer.js';
import { writeSeal } from '../seal/pki.js';
import { makeTempDir } from '../signers/helpers.js';
import { foodLicense, foodTemplate } from './fixtures.js';
import { type SealKit, sealKit } from './seal-kit.js';

/** The same DER certificate with its outer length written one byte longer than it needs. */
function longerLength(der: Uint8Array): Uint8Array {
  const count = (der[1] as number) & 0x7f;
  return Uint8Array.from([0x30, 0x80 | (count + 1), 0, ...der.subarray(2)]);
}

const SELF_MADE =
  /^self-made seal: its maker's certificate serial [0-9A-F]+ \(CN=[^)]+\) is one it lists as its holder's; a seal its holder made itself is not a properly made seal$/;

describe('a seal its holder made, its maker certificate written otherwise', () => {
  let dir: string;
  let cleanup: () => void;
  let kit: SealKit;

  beforeAll(async () => {
    ({ dir, cleanup } = makeTempDir());
    kit = await sealKit(dir);
  });
  afterAll(() => cleanup());

  async function sealedWith(sealFile: string): Promise<Buffer> {
    const seal = new SealSigner(
      'district-seal',
      { file: sealFile, signer: 'district', status: 'active' },
      new LocalSm2Signer('district', kit.holder.config),
    );
    await seal.open();
    try {
      const [file] = await issueLicenseFiles([{ license: foodLicense(4), template: foodTemplate }], seal);
      return file as Buffer;
    } finally {
      await seal.close();
    }
  }

  it('fails the holder certificate given a longer length as the maker certificate', async () => {
    const selfMade = decodeSeal(readFileSync(await kit.selfMadeSeal(join(dir, 'self-made.esl'))));
    const file = join(dir, 'self-made-ber.esl');
    writeFileSync(
      file,
      encodeSeal(
        selfMade.signedBytes,
        longerLength(selfMade.makerCertificate),
        selfMade.signAlgorithm,
        selfMade.signature,
      ),
    );
    // kit.trust: the maker and the holder, each without a role (a signer and a seal maker).
    const result = verifyOfd(await sealedWith(file), kit.trust);
    expect(result.ok).toBe(false);
    expect(result.signatures[0]?.problems).toEqual([expect.stringMatching(SELF_MADE)]);
  });

  it("fails a seal made with the holder's key under another certificate of that key", async () => {
    // The holder certifies its own key once more, under another name and serial.
    const otherCert = join(dir, 'holder-again.cert.pem');
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-new',
        '-key',
        kit.holder.keyPath,
        '-sm3',
        '-sigopt',
        'distid:1234567812345678',
        '-subj',
        '/CN=West Coast Seal Works',
        '-days',
        '30',
        '-out',
        otherCert,
      ],
      { stdio: 'pipe' },
    );
    const maker = new LocalSm2Signer('holder-again', { ...kit.holder.config, certificate: otherCert });
    await maker.open();
    const sealFile = await writeSeal(join(dir, 'self-made-other-cert.esl'), maker, kit.holder, {
      image: kit.image,
      name: '青岛西海岸新区市场监督管理局电子证照专用章',
      esId: '37021100000010',
      type: 2,
      widthMm: 42,
      heightMm: 42,
    });
    const holder = parseCertificate('trust', readFileSync(kit.holder.certPath, 'utf8'), 'holder');
    // The holder's key trusted as a bare key without a role: a signer and a seal maker.
    const trust: TrustedMaterial[] = [
      { publicKeyPem: holder.publicKeyPem, certificate: null, origin: 'trust district-key' },
    ];
    const result = verifyOfd(await sealedWith(sealFile), trust);
    expect(result.ok).toBe(false);
    expect(result.signatures[0]?.problems).toEqual([
      expect.stringMatching(
        /^self-made seal: its maker's certificate serial [0-9A-F]+ \(CN=West Coast Seal Works\) certifies the key of a certificate it lists as its holder's; a seal its holder made itself is not a properly made seal$/,
      ),
    ]);
  });
});
