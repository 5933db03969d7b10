// A certificate whose key usage forbids signatures stands behind none. GB/T 20518 gives an SM2
// signing certificate digitalSignature and nonRepudiation, and the encryption certificate of a
// unit's pair keyEncipherment and dataEncipherment — its key pair made and kept by the key
// management centre, so a signature under it is not the holder's alone. A seal listing a unit's
// encryption certificate, or made by a maker's, sealed files that verified.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { layoutFace } from '../../adapters/documents/face/layout.js';
import { docInfoFor, issueLicenseFiles } from '../../adapters/documents/ofd/issue-license-file.js';
import { buildOfd } from '../../adapters/documents/ofd/ofd-package.js';
import {
  finishSignature,
  prepareSignature,
  SM2_SM3_OID,
} from '../../adapters/documents/ofd/ofd-signature.js';
import type { TrustedMaterial } from '../../adapters/documents/ofd/ofd-trust.js';
import { verifyOfd } from '../../adapters/documents/ofd/ofd-verify.js';
import { readZip } from '../../adapters/documents/zip/zip-reader.js';
import { parseCertificate } from '../../adapters/signers/certificate.js';
import { LocalSm2Signer } from '../../adapters/signers/local-sm2/local-sm2-signer.js';
import { certificateDer } from '../../adapters/signers/ses/check-seal.js';
import { encodeSeal, encodeSealInfo } from '../../adapters/signers/ses/seal-format.js';
import { SealSigner } from '../../adapters/signers/ses/seal-signer.js';
import {
  decodeSesSignature,
  encodeSesSignature,
  encodeTbsSign,
} from '../../adapters/signers/ses/signature-format.js';
import { type Party, partyWithKeyUsage, writeSeal } from '../seal/pki.js';
import { makeTempDir } from '../signers/helpers.js';
import { foodLicense, foodTemplate } from './fixtures.js';
import { type SealKit, sealKit } from './seal-kit.js';

const MAY_NOT_SIGN = (who: string, usage: string) =>
  new RegExp(
    `^the ${who} certificate serial [0-9A-F]+ may not sign: its key usage is ${usage}, without digitalSignature or nonRepudiation \\(GB/T 20518: a signing certificate's\\)`,
  );

describe('key usage of the signer and the seal maker', () => {
  let dir: string;
  let cleanup: () => void;
  let kit: SealKit;

  beforeAll(async () => {
    ({ dir, cleanup } = makeTempDir());
    kit = await sealKit(dir);
  });
  afterAll(() => cleanup());

  /** A party with a fresh SM2 key and a self-signed certificate of `keyUsage` (none: no extension). */
  const partyWith = (name: string, cn: string, keyUsage: string | null): Party =>
    partyWithKeyUsage(dir, name, cn, keyUsage);

  const trustOf = (p: Party, origin: string): TrustedMaterial => {
    const certificate = parseCertificate(origin, readFileSync(p.certPath, 'utf8'), p.certPath);
    return { publicKeyPem: certificate.publicKeyPem, certificate, origin };
  };

  /** A license file sealed by `holder` with a seal `maker` made for it. */
  async function sealed(name: string, maker: Party, holder: Party): Promise<Buffer> {
    const makerSigner = new LocalSm2Signer('maker', maker.config);
    await makerSigner.open();
    const sealFile = await writeSeal(join(dir, `${name}.esl`), makerSigner, holder, {
      image: kit.image,
      name: '青岛西海岸新区市场监督管理局电子证照专用章',
      esId: '37021100000020',
      type: 2,
      widthMm: 42,
      heightMm: 42,
    });
    const seal = new SealSigner(
      'district-seal',
      { file: sealFile, signer: 'district', status: 'active' },
      new LocalSm2Signer('district', holder.config),
    );
    await seal.open();
    try {
      const [file] = await issueLicenseFiles([{ license: foodLicense(5), template: foodTemplate }], seal);
      return file as Buffer;
    } finally {
      await seal.close();
    }
  }

  it("fails a signer's encryption certificate", async () => {
    const holder = partyWith(
      'enc-holder',
      'West Coast Market Supervision Bureau (encryption)',
      'keyEncipherment,dataEncipherment',
    );
    const result = verifyOfd(await sealedUnchecked(kit.maker, holder), [
      trustOf(kit.maker, 'trust seal-office'),
      trustOf(holder, 'signer district'),
    ]);
    expect(result.ok).toBe(false);
    expect(result.signatures[0]?.problems).toEqual([
      expect.stringMatching(MAY_NOT_SIGN("signer's", 'keyEncipherment, dataEncipherment')),
    ]);
  });

  /**
   * A license file sealed by `holder` with a seal `maker` made for it, made as seal make and sign
   * files would, without their checks (which refuse such certificates now).
   */
  async function sealedUnchecked(maker: Party, holder: Party): Promise<Buffer> {
    const makerSigner = new LocalSm2Signer('maker', maker.config);
    await makerSigner.open();
    const holderPem = readFileSync(holder.certPath, 'utf8');
    const holderCert = parseCertificate('holder', holderPem, 'holder');
    const now = new Date();
    const sealInfo = encodeSealInfo({
      vendorId: 'licbridge',
      esId: '37021100000021',
      type: 2,
      name: '青岛西海岸新区市场监督管理局电子证照专用章',
      holderCertificates: [certificateDer(holderPem)],
      holderCertificateDigests: [],
      createdAt: now,
      validFrom: holderCert.notBefore,
      validTo: holderCert.notAfter,
      picture: { type: 'png', data: kit.image, widthMm: 42, heightMm: 42 },
      extensions: [],
    });
    const [makerSig] = await makerSigner.sign([sealInfo]);
    await makerSigner.close();
    const sealDer = encodeSeal(
      sealInfo,
      certificateDer(readFileSync(maker.certPath, 'utf8')),
      SM2_SM3_OID,
      makerSig?.signature as Uint8Array,
    );
    const license = foodLicense(6);
    const info = docInfoFor(license, now);
    const prepared = prepareSignature(
      buildOfd(layoutFace(foodTemplate, license), info),
      info,
      foodTemplate.seal,
      now,
    );
    const tbs = encodeTbsSign({
      sealDer,
      signedAt: now,
      dataHash: prepared.dataHash,
      propertyInfo: prepared.propertyInfo,
    });
    const holderSigner = new LocalSm2Signer('district', holder.config);
    await holderSigner.open();
    const [holderSig] = await holderSigner.sign([tbs]);
    await holderSigner.close();
    return finishSignature(
      prepared,
      encodeSesSignature(tbs, certificateDer(holderPem), SM2_SM3_OID, holderSig?.signature as Uint8Array),
    );
  }

  it("fails a seal maker's encryption certificate", async () => {
    const maker = partyWith('enc-maker', 'West Coast Seal Administration (encryption)', 'keyAgreement');
    const result = verifyOfd(await sealedUnchecked(maker, kit.holder), [
      trustOf(maker, 'trust seal-office'),
      trustOf(kit.holder, 'signer district'),
    ]);
    expect(result.ok).toBe(false);
    expect(result.signatures[0]?.problems).toEqual([
      expect.stringMatching(MAY_NOT_SIGN("seal maker's", 'keyAgreement')),
    ]);
  });

  it('refuses to make or use a seal for a holder certificate that may not sign', async () => {
    const holder = partyWith(
      'enc-holder-2',
      'West Coast Market Supervision Bureau (encryption 2)',
      'keyEncipherment',
    );
    const makerSigner = new LocalSm2Signer('maker', kit.maker.config);
    await makerSigner.open();
    const seal = {
      image: kit.image,
      name: '电子证照专用章',
      esId: '37021100000022',
      type: 2,
      widthMm: 42,
      heightMm: 42,
    };
    await expect(writeSeal(join(dir, 'enc-holder-2.esl'), makerSigner, holder, seal)).rejects.toThrow(
      /^seal make: the holder certificate serial [0-9A-F]+ may not sign: its key usage is keyEncipherment, /,
    );
    await makerSigner.close();
    // A seal made for it elsewhere: refused when opened, before the first signature.
    const file = join(dir, 'enc-holder-2-elsewhere.esl');
    const bytes = await sealedUnchecked(kit.maker, holder);
    const ses = decodeSesSignature(readZip(bytes).read('Doc_0/Signs/Sign_0/SignedValue.dat'));
    writeFileSync(file, ses.seal.der);
    const signer = new SealSigner(
      'district-seal',
      { file, signer: 'district', status: 'active' },
      new LocalSm2Signer('district', holder.config),
    );
    await expect(signer.open()).rejects.toThrow(
      /the certificate of signer district \(serial [0-9A-F]+\) may not sign: its key usage is keyEncipherment, /,
    );
  });

  it('passes certificates for signing, and ones without a key usage', async () => {
    const holder = partyWith(
      'sign-holder',
      'West Coast Market Supervision Bureau (signing)',
      'digitalSignature,nonRepudiation',
    );
    const maker = partyWith('sign-maker', 'West Coast Seal Administration (signing)', 'nonRepudiation');
    const file = await sealed('sign', maker, holder);
    const result = verifyOfd(file, [trustOf(maker, 'trust seal-office'), trustOf(holder, 'signer district')]);
    expect(result.signatures[0]?.problems).toEqual([]);
    expect(result.ok).toBe(true);
    const plain = verifyOfd(await sealed('plain', kit.maker, kit.holder), kit.trust);
    expect(plain.ok).toBe(true);
  });
});
