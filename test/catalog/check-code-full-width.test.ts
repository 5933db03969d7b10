/**
 * `licbridge check` on a value copied from a legacy row or a form in full-width characters
 * (`９１３７０４０６Ｌ２４８９４１３６Ｊ`, as Chinese input methods type digits and letters): the
 * check said the credit code `holds a character outside the GB 32100 alphabet` and the ID number
 * `fails the format check`, though the code is valid and the mapping's `halfWidth` and
 * `holderIdType` read it so. Full-width ASCII and the ideographic space are now read half-width,
 * as the mapping reads them; the value shown is the one checked.
 */
import { describe, expect, it } from 'vitest';
import { checkCode } from '../../pipelines/check-code.js';

describe('check reads full-width characters as the mapping does', () => {
  it('a credit code (GB 32100 vector 91370406L24894136J)', () => {
    expect(checkCode('uscc', '９１３７０４０６Ｌ２４８９４１３６Ｊ\u3000')).toEqual({
      kind: 'uscc',
      valid: true,
      value: '91370406L24894136J',
      checkChar: 'J',
    });
    expect(checkCode('uscc', '９１３７０４０６Ｌ２４８９４１３６')).toMatchObject({
      valid: false,
      completed: '91370406L24894136J',
    });
  });

  it('a resident ID number (GB 11643 vector 11010519491231002X), still masked', () => {
    expect(checkCode('id', '１１０１０５１９４９１２３１００２ｘ')).toEqual({
      kind: 'id',
      valid: true,
      value: '1101**********002X',
      checkChar: 'X',
    });
    expect(checkCode('id', '４４０５２４１８８００１０１００１４')).toMatchObject({
      valid: true,
      checkChar: '4',
    });
  });

  it('a license identifier (GB/T 36904 vector)', () => {
    const id = '1.2.156.3005.2.11100000000013338W032.11220000013544541J.2430599.001.F';
    const wide = id.replace(/[!-~]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0));
    expect(checkCode('identifier', wide)).toMatchObject({ valid: true, value: id, checkChar: 'F' });
  });
});
