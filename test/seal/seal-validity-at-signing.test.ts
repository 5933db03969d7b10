// A seal signs only inside its validity, at the signing time each SES_Signature carries — not
// only at open(): a long `sign files` run that passed the seal's validEnd, or a signing time
// given by the caller outside it, sealed files that `verify --file` fails ("the seal expired
// before …"), after the ledger had recorded them as issued.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { drawRoundSeal } from '../../adapters/documents/png-writer.js';
import { LocalSm2Signer } from '../../adapters/signers/local-sm2/local-sm2-signer.js';
import { makeSeal } from '../../adapters/signers/ses/make-seal.js';
import { SealSigner } from '../../adapters/signers/ses/seal-signer.js';
import { ErrorCodes, LicbridgeError } from '../../core/errors.js';
import { makeTempDir } from '../signers/helpers.js';
import { CountingSigner, openedSigner, type Party, party } from './pki.js';

const DAY = 86_400_000;

describe('a seal signs only inside its validity', () => {
  let dir: string;
  let cleanup: () => void;
  let holder: Party;
  let sealFile: string;
  let validTo: Date;
  let validFrom: Date;

  beforeAll(async () => {
    ({ dir, cleanup } = makeTempDir());
    const maker = party(dir, 'maker', 'Seal Maker');
    holder = party(dir, 'holder', 'Issuing Unit', 10);
    const makerSigner = await openedSigner('maker', maker);
    const seal = await makeSeal({
      maker: makerSigner,
      holderCertificatePem: readFileSync(holder.certPath, 'utf8'),
      image: drawRoundSeal(96),
      name: '测试电子证照专用章',
      esId: 'seal-test-2',
      type: 1,
      widthMm: 40,
      heightMm: 40,
      vendorId: 'licbridge',
      now: new Date(),
    });
    await makerSigner.close();
    validTo = seal.info.validTo;
    validFrom = seal.info.validFrom;
    sealFile = `${dir}/unit.esl`;
    const { writeFileSync } = await import('node:fs');
    writeFileSync(sealFile, seal.der);
  });
  afterAll(() => cleanup());

  const request = { dataHash: new Uint8Array(32), propertyInfo: '/Doc_0/Signs/Sign_0/Signature.xml' };

  it('signs inside the validity', async () => {
    const signer = new SealSigner(
      'unit-seal',
      { file: sealFile, signer: 'unit', status: 'active' },
      new LocalSm2Signer('unit', holder.config),
    );
    await signer.open();
    try {
      expect(await signer.sign([request], new Date())).toHaveLength(1);
    } finally {
      await signer.close();
    }
  });

  it.each([
    ['after the seal ended', () => new Date(validTo.getTime() + DAY), /the seal expired before/],
    ['before the seal began', () => new Date(validFrom.getTime() - DAY), /the seal is not yet valid at/],
  ] as const)('refuses a signing time %s, though the seal was valid at open()', async (_, at, reason) => {
    const inner = new CountingSigner('unit', holder.config);
    const signer = new SealSigner('unit-seal', { file: sealFile, signer: 'unit', status: 'active' }, inner);
    await signer.open();
    try {
      const err = await signer.sign([request], at()).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(LicbridgeError);
      expect((err as LicbridgeError).code).toBe(ErrorCodes.SIGNER_KEY);
      expect((err as LicbridgeError).message).toMatch(/^seal unit-seal: /);
      expect((err as LicbridgeError).message).toMatch(reason);
      expect(inner.signed).toBe(0);
    } finally {
      await signer.close();
    }
  });

  it('refuses once its clock passes the end of the seal, in a run that opened it before', async () => {
    const clock = { now: new Date() };
    const inner = new CountingSigner('unit', holder.config);
    const signer = new SealSigner('unit-seal', { file: sealFile, signer: 'unit', status: 'active' }, inner, {
      now: () => clock.now,
    });
    await signer.open();
    try {
      clock.now = new Date(validTo.getTime() + 1000);
      await expect(signer.sign([request])).rejects.toThrow(/^seal unit-seal: .*the seal expired before/);
      expect(inner.signed).toBe(0);
    } finally {
      await signer.close();
    }
  });
});
