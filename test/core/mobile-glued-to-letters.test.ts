/**
 * A mobile number with letters stuck to it: a record key naming it (`TEL13812345678`), a token
 * from outside wrapping it (`m13812345678x`). Its shape was looked for only where it stood alone
 * (no letter or digit on either side), so an error's text, a log line, a record key in a report
 * and a reason's value showed it whole, as they did a resident ID number until 03d057bc. It is now
 * masked wherever it is not part of a longer run of digits, whatever letters stand beside it. A
 * credit code, a license type code and identifier, a UUID and a longer digit run stay whole.
 */
import { describe, expect, it } from 'vitest';
import { maskNumberShapes, maskPersonalShapes } from '../../core/personal-shapes.js';
import { expectHiddenInTexts } from './glued-shapes-fixture.js';

const MOBILE = '13812345678';
const GLUED = [
  `TEL${MOBILE}`,
  `m${MOBILE}x`,
  `SJH${MOBILE}K01`,
  `ID+86${MOBILE}`,
  `tel86${MOBILE}`,
  'TEL138-1234-5678',
  `lxdh${MOBILE}`,
];

/** Neither the number's carrier prefix nor its middle group shows in `shown`. */
function expectHidden(shown: string, key: string): void {
  expect(shown.replace(/[- ]/g, ''), key).not.toContain(MOBILE.slice(0, 7));
  expect(shown, key).not.toContain('1234');
  expect(shown, key).toContain('5678');
}

describe('a mobile number with letters stuck to it', () => {
  it('is masked by its shape, the letters beside it kept', () => {
    for (const key of GLUED) expectHidden(maskNumberShapes(key), key);
    expect(maskPersonalShapes(`TEL${MOBILE}`)).toBe('TEL*******5678');
    expect(maskPersonalShapes(`m${MOBILE}x`)).toBe('m*******5678x');
    expect(maskPersonalShapes(`ID+86${MOBILE}`)).toBe('ID**********5678');
  });

  it("in an error's text, a log line and text scrubbed of personal data", () => {
    expectHiddenInTexts(GLUED, expectHidden, { numbers: 'shapes' });
  });

  it('leaves credit codes, license type codes and identifiers, UUIDs and longer digit runs whole', () => {
    for (const text of [
      // Credit codes (GB 32100) whose first or second char starts 11 digits, with a right check char.
      'N13702111234MAB12C',
      'Y13702111234MAB124',
      // A type code (a credit code and three digits) whose last 11 digits start 13, and the
      // identifier (GB/T 36904) that names it.
      '91370211MA13812351001',
      '1.2.156.3005.2.91370211MA13812351001.91370211MA13812351.K1A2B3C4D5E6F7G8H9J0.001.F',
      '91370406L24894136J',
      'USCC11100000000013338W',
      // A UUID whose groups hold a mobile number's 3-4-4 shape.
      'e0c4b138-1234-5678-9abc-def012345678',
      // Longer runs of digits: an order number, a bank card.
      `ORD${MOBILE}9`,
      `A9${MOBILE}`,
      `CARD6222${MOBILE}`,
      // No mobile prefix (12, 10).
      'TEL12812345678',
      'TEL10812345678',
    ])
      expect(maskNumberShapes(text), text).toBe(text);
  });
});
