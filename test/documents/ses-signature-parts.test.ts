// A seal signer builds each SES_Signature from the fields its seal shares and the signature's own,
// without making TBS_Sign first: the bytes are those of TBS_Sign written field by field and the
// SES_Signature around it, for every length whose DER length octets differ, and the digest is the
// one over that TBS_Sign.
import { createHash, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { generalizedTime } from '../../adapters/signers/ses/der-writer.js';
import {
  encodeSesSignatureAround,
  encodeSesSignatureOf,
  encodeTbsSignAt,
  joinTbsSign,
  sesSignatureMiddle,
  tbsSignHead,
  tbsSignPrefix,
  tbsSignTail,
} from '../../adapters/signers/ses/signature-format.js';

const time = generalizedTime(new Date('2026-12-06T03:04:05Z'));

describe('SES_Signature from its parts', () => {
  // Seal DERs making TBS_Sign's content cross 127, 255 and 65,535 bytes; property paths either
  // side of 127 characters; SM2 signatures of 70 to 72 bytes (r and s with or without a 0x00).
  const sealSizes = [20, 60, 120, 200, 250, 600, 65_400, 65_600];
  const paths = [1, 30, 100, 126, 127, 128, 200].map((n) => `/${'S'.repeat(n)}`);

  it('equals TBS_Sign and SES_Signature written field by field', () => {
    for (const size of sealSizes) {
      const prefix = tbsSignPrefix(randomBytes(size));
      const middle = sesSignatureMiddle(randomBytes(size % 700), '1.2.156.10197.1.501');
      for (const propertyInfo of paths) {
        const dataHash = createHash('sm3').update(propertyInfo).digest();
        const tail = tbsSignTail(time, { dataHash, propertyInfo });
        const tbs = encodeTbsSignAt(prefix, time, { dataHash, propertyInfo });
        expect(
          Buffer.from(joinTbsSign(prefix, tail)).equals(Buffer.from(tbs)),
          `${size} ${propertyInfo.length}`,
        ).toBe(true);
        const head = tbsSignHead(prefix, tail);
        expect(Buffer.from(tbs.subarray(0, head.length)).equals(Buffer.from(head))).toBe(true);
        for (const length of [70, 71, 72]) {
          const signature = randomBytes(length);
          const whole = encodeSesSignatureAround(tbs, middle, signature);
          const fromParts = encodeSesSignatureOf(prefix, tail, middle, signature);
          expect(
            Buffer.from(fromParts).equals(Buffer.from(whole)),
            `${size} ${propertyInfo.length} ${length}`,
          ).toBe(true);
        }
      }
    }
  });

  it('refuses a property path that is not ASCII, as the IA5String writer does', () => {
    const dataHash = Buffer.alloc(32);
    expect(() => tbsSignTail(time, { dataHash, propertyInfo: '/Doc_0/签章.xml' })).toThrow(/IA5String/);
    expect(() =>
      encodeTbsSignAt(tbsSignPrefix(Buffer.alloc(10)), time, { dataHash, propertyInfo: 'é' }),
    ).toThrow(/IA5String/);
  });
});
