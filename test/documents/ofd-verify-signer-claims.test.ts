// What a signature's own fields claim is checked, not believed: a signing time later than the
// verifier's clock fails (every validity check is made at that time, so a signer could date a
// file into a validity it has not reached), and a trusted certificate is matched whole — a
// certificate made for the maker's key with its serial and another subject or validity (the
// maker's certificate is outside the maker's signature) is not the trusted one.
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issueLicenseFiles } from '../../adapters/documents/ofd/issue-license-file.js';
import { CLOCK_SKEW_MS, verifyOfd } from '../../adapters/documents/ofd/ofd-verify.js';
import { parseCertificate } from '../../adapters/signers/certificate.js';
import { LocalSm2Signer } from '../../adapters/signers/local-sm2/local-sm2-signer.js';
import { certificateDer } from '../../adapters/signers/ses/check-seal.js';
import { makeSeal } from '../../adapters/signers/ses/make-seal.js';
import { encodeSeal } from '../../adapters/signers/ses/seal-format.js';
import { SealSigner } from '../../adapters/signers/ses/seal-signer.js';
import { makeTempDir } from '../signers/helpers.js';
import { foodLicense, foodTemplate } from './fixtures.js';
import { type SealKit, sealKit } from './seal-kit.js';

const DAY = 86_400_000;

describe("a sealed OFD's own claims", () => {
  let dir: string;
  let cleanup: () => void;
  let kit: SealKit;

  beforeAll(async () => {
    ({ dir, cleanup } = makeTempDir());
    kit = await sealKit(dir);
  });
  afterAll(() => cleanup());

  async function sealed(signer: SealSigner, at?: Date): Promise<Buffer> {
    await signer.open();
    try {
      const [file] = await issueLicenseFiles(
        [{ license: foodLicense(), template: foodTemplate }],
        signer,
        at,
      );
      return file as Buffer;
    } finally {
      await signer.close();
    }
  }

  it('fails a signing time after the time of verification, and passes it once that time has come', async () => {
    const signedAt = new Date(Date.now() + 5 * DAY);
    const file = await sealed(kit.sealSigner(), signedAt);
    const now = verifyOfd(file, kit.trust);
    expect(now.ok).toBe(false);
    expect(now.signatures[0]?.problems.join('; ')).toContain(
      `signed at ${signedAt.toISOString().replace(/\.\d{3}Z$/, '.000Z')}, after the time of verification`,
    );
    expect(verifyOfd(file, kit.trust, new Date(signedAt.getTime() + DAY)).ok).toBe(true);
    // A clock a little behind the signing host's still accepts a file signed just now.
    const justNow = await sealed(kit.sealSigner());
    expect(verifyOfd(justNow, kit.trust, new Date(Date.now() - CLOCK_SKEW_MS / 2)).ok).toBe(true);
  });

  it("fails a seal whose maker's certificate was swapped for another of the same key and serial", async () => {
    const maker = parseCertificate('maker', readFileSync(kit.maker.certPath, 'utf8'), kit.maker.certPath);
    const forgedPath = join(dir, 'forged-maker.cert.pem');
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-new',
        '-key',
        kit.maker.keyPath,
        '-sm3',
        '-sigopt',
        'distid:1234567812345678',
        '-subj',
        '/CN=Provincial Seal Administration',
        '-set_serial',
        `0x${maker.serial}`,
        '-days',
        '3650',
        '-out',
        forgedPath,
      ],
      { stdio: 'pipe' },
    );
    const forged = parseCertificate('forged', readFileSync(forgedPath, 'utf8'), forgedPath);
    expect(forged.serial).toBe(maker.serial);
    // The seal made after the forged certificate, so that both certificates were valid when it was.
    const makerSigner = new LocalSm2Signer('maker', kit.maker.config);
    await makerSigner.open();
    const seal = await makeSeal({
      maker: makerSigner,
      holderCertificatePem: readFileSync(kit.holder.certPath, 'utf8'),
      image: kit.image,
      name: '青岛西海岸新区市场监督管理局电子证照专用章',
      esId: '37021100000002',
      type: 2,
      widthMm: 42,
      heightMm: 42,
      vendorId: 'licbridge',
      now: new Date(Date.now() + 60_000),
    });
    await makerSigner.close();
    const genuineFile = join(dir, 'genuine.esl');
    writeFileSync(genuineFile, seal.der);
    const swappedFile = join(dir, 'swapped.esl');
    writeFileSync(
      swappedFile,
      encodeSeal(seal.signedBytes, certificateDer(forged.pem), seal.signAlgorithm, seal.signature),
    );
    const signer = new SealSigner(
      'district-seal',
      { file: swappedFile, signer: 'district', status: 'active' },
      new LocalSm2Signer('district', kit.holder.config),
      { now: () => new Date(Date.now() + 120_000) },
    );
    const result = verifyOfd(await sealed(signer, new Date(Date.now() + 120_000)), kit.trust);
    expect(result.ok).toBe(false);
    expect(result.signatures[0]?.problems.join('; ')).toContain(
      `untrusted seal maker: certificate serial ${maker.serial} (CN=Provincial Seal Administration)`,
    );
    // The genuine seal, signed the same way, verifies.
    const genuine = new SealSigner(
      'district-seal',
      { file: genuineFile, signer: 'district', status: 'active' },
      new LocalSm2Signer('district', kit.holder.config),
      { now: () => new Date(Date.now() + 120_000) },
    );
    expect(verifyOfd(await sealed(genuine, new Date(Date.now() + 120_000)), kit.trust).ok).toBe(true);
  });
});
