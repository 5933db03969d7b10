// A seal's validity is its holder certificate's (art. 10), so it starts before the seal was made.
// A signing time before the seal's createDate is one at which the seal did not exist: a file
// dated so is backdated, and fails verification; the seal signer refuses to sign at such a time.
// The time Signature.xml states (what readers show) must be the SES_Signature's (what is checked).
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { layoutFace } from '../../adapters/documents/face/layout.js';
import { docInfoFor } from '../../adapters/documents/ofd/issue-license-file.js';
import { buildOfd } from '../../adapters/documents/ofd/ofd-package.js';
import {
  finishSignature,
  prepareSignature,
  SM2_SM3_OID,
} from '../../adapters/documents/ofd/ofd-signature.js';
import { CLOCK_SKEW_MS, verifyOfd } from '../../adapters/documents/ofd/ofd-verify.js';
import { LocalSm2Signer } from '../../adapters/signers/local-sm2/local-sm2-signer.js';
import { certificateDer } from '../../adapters/signers/ses/check-seal.js';
import { makeSeal } from '../../adapters/signers/ses/make-seal.js';
import type { SesSeal } from '../../adapters/signers/ses/seal-format.js';
import { SealSigner } from '../../adapters/signers/ses/seal-signer.js';
import { encodeSesSignature, encodeTbsSign } from '../../adapters/signers/ses/signature-format.js';
import { makeTempDir } from '../signers/helpers.js';
import { foodLicense, foodTemplate } from './fixtures.js';
import { type SealKit, sealKit } from './seal-kit.js';

const HOUR = 3_600_000;

describe('a signature dated before its seal was made', () => {
  let dir: string;
  let cleanup: () => void;
  let kit: SealKit;
  let seal: SesSeal;
  let sealFile: string;
  // Taken once the holder's certificate exists: every time below is inside its validity.
  let start: number;
  let made: Date;

  beforeAll(async () => {
    ({ dir, cleanup } = makeTempDir());
    kit = await sealKit(dir);
    start = Date.now();
    made = new Date(start + HOUR);
    const maker = new LocalSm2Signer('maker', kit.maker.config);
    await maker.open();
    seal = await makeSeal({
      maker,
      holderCertificatePem: readFileSync(kit.holder.certPath, 'utf8'),
      image: kit.image,
      name: '青岛西海岸新区市场监督管理局电子证照专用章',
      esId: '37021100000003',
      type: 2,
      widthMm: 42,
      heightMm: 42,
      vendorId: 'licbridge',
      now: made,
    });
    await maker.close();
    sealFile = `${dir}/later.esl`;
    const { writeFileSync } = await import('node:fs');
    writeFileSync(sealFile, seal.der);
  });
  afterAll(() => cleanup());

  /**
   * A file sealed at `signedAt` with the holder's key, made without the seal signer's checks;
   * its Signature.xml states `statedAt`.
   */
  async function sealedAt(signedAt: Date, statedAt: Date = signedAt): Promise<Buffer> {
    const license = foodLicense();
    const info = docInfoFor(license, statedAt);
    const prepared = prepareSignature(
      buildOfd(layoutFace(foodTemplate, license), info),
      info,
      foodTemplate.seal,
      statedAt,
    );
    const tbs = encodeTbsSign({
      sealDer: seal.der,
      signedAt,
      dataHash: prepared.dataHash,
      propertyInfo: prepared.propertyInfo,
    });
    const holder = new LocalSm2Signer('district', kit.holder.config);
    await holder.open();
    const [record] = await holder.sign([tbs]);
    await holder.close();
    const certificate = certificateDer(readFileSync(kit.holder.certPath, 'utf8'));
    return finishSignature(
      prepared,
      encodeSesSignature(tbs, certificate, SM2_SM3_OID, (record as { signature: Uint8Array }).signature),
    );
  }

  it('fails verification, naming when the seal was made; a time after it verifies', async () => {
    const verifiedAt = new Date(start + 2 * HOUR);
    const before = verifyOfd(await sealedAt(new Date(start + 60_000)), kit.trust, verifiedAt);
    expect(before.ok).toBe(false);
    expect(before.signatures[0]?.problems.join('; ')).toContain(
      `the seal did not exist yet at ${new Date(Math.floor((start + 60_000) / 1000) * 1000).toISOString()} (made ${seal.info.createdAt.toISOString()})`,
    );
    const after = verifyOfd(await sealedAt(new Date(start + HOUR + 60_000)), kit.trust, verifiedAt);
    expect(after.signatures[0]?.problems).toEqual([]);
    expect(after.ok).toBe(true);
  });

  it("fails a Signature.xml whose SignatureDateTime is not the SES_Signature's time", async () => {
    const signedAt = new Date(start + 2 * HOUR);
    const shown = new Date(start + 3 * HOUR);
    const verifiedAt = new Date(start + 4 * HOUR);
    const result = verifyOfd(await sealedAt(signedAt, shown), kit.trust, verifiedAt);
    expect(result.ok).toBe(false);
    expect(result.signatures[0]?.problems).toEqual([
      `SignatureDateTime ${new Date(Math.floor(shown.getTime() / 1000) * 1000).toISOString()} is not the SES_Signature's signing time ${new Date(Math.floor(signedAt.getTime() / 1000) * 1000).toISOString()}: readers show the one, the checks are made at the other`,
    ]);
    expect(verifyOfd(await sealedAt(signedAt), kit.trust, verifiedAt).ok).toBe(true);
  });

  it('verifies a file signed seconds before createDate: the seal was made on a host whose clock is ahead', async () => {
    const verifiedAt = new Date(start + 2 * HOUR);
    const skewed = verifyOfd(await sealedAt(new Date(made.getTime() - 30_000)), kit.trust, verifiedAt);
    expect(skewed.signatures[0]?.problems).toEqual([]);
    expect(skewed.ok).toBe(true);
    const beyond = verifyOfd(
      await sealedAt(new Date(made.getTime() - CLOCK_SKEW_MS - 60_000)),
      kit.trust,
      verifiedAt,
    );
    expect(beyond.signatures[0]?.problems.join('; ')).toContain('the seal did not exist yet');
  });

  it('is signed by the seal signer seconds before createDate, as clocks differ', async () => {
    const signer = new SealSigner(
      'later-seal',
      { file: sealFile, signer: 'district', status: 'active' },
      new LocalSm2Signer('district', kit.holder.config),
      { now: () => new Date(start + 2 * HOUR) },
    );
    await signer.open();
    try {
      const request = { dataHash: new Uint8Array(32), propertyInfo: '/Doc_0/Signs/Sign_0/Signature.xml' };
      expect(await signer.sign([request], new Date(made.getTime() - 30_000))).toHaveLength(1);
    } finally {
      await signer.close();
    }
  });

  it('is refused by the seal signer', async () => {
    const signer = new SealSigner(
      'later-seal',
      { file: sealFile, signer: 'district', status: 'active' },
      new LocalSm2Signer('district', kit.holder.config),
      { now: () => new Date(start + 2 * HOUR) },
    );
    await signer.open();
    try {
      const request = { dataHash: new Uint8Array(32), propertyInfo: '/Doc_0/Signs/Sign_0/Signature.xml' };
      await expect(signer.sign([request], new Date(start + 60_000))).rejects.toThrow(
        `seal later-seal: cannot sign at ${new Date(start + 60_000).toISOString()}: the seal did not exist yet`,
      );
      expect(await signer.sign([request], new Date(start + HOUR + 60_000))).toHaveLength(1);
    } finally {
      await signer.close();
    }
  });
});
