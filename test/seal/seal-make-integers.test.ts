// `seal make` checks the seal's integers (type, width, height) before the seal maker signs: a
// value past what a reader takes (`--type 1e300`, an integer to Number) was encoded, signed by the
// maker — a signing server call — and only then refused by the decode of the new seal, with
// `der: SESeal.eSealInfo.property.type: too large`, not a usage error naming the value.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { drawRoundSeal } from '../../adapters/documents/png-writer.js';
import { LocalSm2Signer } from '../../adapters/signers/local-sm2/local-sm2-signer.js';
import { makeSeal } from '../../adapters/signers/ses/make-seal.js';
import { makeTempDir } from '../signers/helpers.js';
import { type Party, party } from './pki.js';

describe('seal make with an integer out of range', () => {
  let dir: string;
  let cleanup: () => void;
  let maker: Party;
  let holder: Party;

  beforeAll(() => {
    ({ dir, cleanup } = makeTempDir());
    maker = party(dir, 'maker', 'Seal Maker');
    holder = party(dir, 'holder', 'Issuing Unit');
  });
  afterAll(() => cleanup());

  it.each([
    ['type', { type: 1e300 }, '`type` 1e+300'],
    ['type', { type: -1 }, '`type` -1'],
    ['widthMm', { widthMm: 42.5 }, '`widthMm` 42.5'],
    ['heightMm', { heightMm: Number.NaN }, '`heightMm` NaN'],
  ])('refuses %s before the maker signs', async (_, bad, named) => {
    const signer = new LocalSm2Signer('maker', maker.config);
    await signer.open();
    let signed = 0;
    const sign = signer.sign.bind(signer);
    signer.sign = (data) => {
      signed++;
      return sign(data);
    };
    try {
      await expect(
        makeSeal({
          maker: signer,
          holderCertificatePem: readFileSync(holder.certPath, 'utf8'),
          image: drawRoundSeal(60),
          name: '测试章',
          esId: '3702',
          type: 1,
          widthMm: 42,
          heightMm: 42,
          vendorId: 'licbridge',
          now: new Date(),
          ...bad,
        }),
      ).rejects.toThrow(`seal make: ${named}`);
      expect(signed).toBe(0);
    } finally {
      await signer.close();
    }
  });
});
