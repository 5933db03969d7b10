// The SES_Signature's timeStamp (GB/T 38540: `[0] EXPLICIT BIT STRING OPTIONAL`) is outside
// TBS_Sign, so no signature covers its bytes. Its [0] was read up to the BIT STRING and whatever
// followed inside it was passed over: any bytes could be put there into the SignedValue.dat of a
// file sealed with a timestamp, and it still verified. An element after the BIT STRING is now refused, as after every
// other field.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { bitString, concat, explicit, integer, sequence } from '../../adapters/signers/ses/der-writer.js';
import {
  decodeSesSignature,
  encodeTbsSign,
  sesSignatureMiddle,
} from '../../adapters/signers/ses/signature-format.js';
import { SM2_SM3_OID } from '../../adapters/signers/signer.js';
import { useSealKit } from '../documents/sealed-license.js';

describe('SES_Signature timeStamp', () => {
  const fixture = useSealKit();

  /** An SES_Signature whose timeStamp [0] holds `inside`. */
  function withTimeStamp(inside: Uint8Array): Uint8Array {
    const tbs = encodeTbsSign({
      sealDer: readFileSync(fixture.kit.sealFile),
      signedAt: new Date('2026-01-02T03:04:05Z'),
      dataHash: new Uint8Array(32),
      propertyInfo: '/Doc_0/Signs/Sign_0/Signature.xml',
    });
    const middle = sesSignatureMiddle(new Uint8Array([1, 2, 3]), SM2_SM3_OID);
    return sequence(tbs, middle, bitString(new Uint8Array(8)), explicit(0, inside));
  }

  it('reads a timeStamp holding its BIT STRING alone', () => {
    const token = new Uint8Array([0x30, 0x00]);
    expect(decodeSesSignature(withTimeStamp(bitString(token))).timeStamp).toEqual(token);
  });

  it('refuses an element after the BIT STRING inside the timeStamp', () => {
    const inside = concat([bitString(new Uint8Array([0x30, 0x00])), integer(7)]);
    expect(() => decodeSesSignature(withTimeStamp(inside))).toThrow(
      'der: timeStamp: unexpected trailing element(s)',
    );
  });
});
