// `seal make --vendor` writes the vendor id into the seal header as an IA5String (ASCII): a vendor
// id in Chinese (厂商) failed deep in the DER writer with a bare RangeError, `IA5String takes ASCII
// only`, naming neither the option nor the seal being made. It is refused as the seal id is, as a
// usage error naming the vendor id, before the seal maker signs.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { drawRoundSeal } from '../../adapters/documents/png-writer.js';
import { LocalSm2Signer } from '../../adapters/signers/local-sm2/local-sm2-signer.js';
import { makeSeal } from '../../adapters/signers/ses/make-seal.js';
import { ErrorCodes, LicbridgeError } from '../../core/errors.js';
import { makeTempDir } from '../signers/helpers.js';
import { type Party, party } from './pki.js';

describe('seal make with a vendor id that is not ASCII', () => {
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

  it.each([['厂商'], ['licbridge\n'], ['']])(
    'refuses %j as a usage error naming the vendor id',
    async (vendorId) => {
      const signer = new LocalSm2Signer('maker', maker.config);
      await signer.open();
      let signed = 0;
      const sign = signer.sign.bind(signer);
      signer.sign = (data) => {
        signed++;
        return sign(data);
      };
      try {
        const made = makeSeal({
          maker: signer,
          holderCertificatePem: readFileSync(holder.certPath, 'utf8'),
          image: drawRoundSeal(60),
          name: '测试章',
          esId: '3702',
          type: 1,
          widthMm: 42,
          heightMm: 42,
          vendorId,
          now: new Date(),
        });
        await expect(made).rejects.toThrow(
          `seal make: vendor id ${JSON.stringify(vendorId)} must be printable ASCII (--vendor)`,
        );
        await expect(made).rejects.toSatisfy(
          (e) => e instanceof LicbridgeError && e.code === ErrorCodes.USAGE,
        );
        expect(signed).toBe(0);
      } finally {
        await signer.close();
      }
    },
  );
});
