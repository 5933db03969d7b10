/**
 * A holder id in a legacy form the mapping did not normalise — a lowercase x, full-width digits
 * (Chinese input mode), spaces around it, a credit code in lower case — fails the catalog's format
 * check. The reason said only what shape was expected (for a resident ID, that idNumber upgrades
 * 15-digit numbers), not that the number is sound but written otherwise, nor which transforms
 * write it so. Vectors: reference STANDARDS.md §2; masks as core/mask.ts keeps them.
 */
import { describe, expect, it } from 'vitest';
import { checkHolderId } from '../../catalog/holder-id.js';

const ID_HINT =
  'written with a lowercase x, full-width characters or spaces, which the idNumber transform brings to this form';
const USCC_HINT =
  'written in lower case, full-width characters or with spaces, which the trim, halfWidth and upper transforms bring to this form';

describe('a holder id in a legacy form', () => {
  it('a resident ID number: names idNumber', () => {
    for (const id of [
      '11010519491231002x',
      '１１０１０５１９４９１２３１００２Ｘ',
      ' 440524188001010014 ',
      '１１０１０５４９１２３１００２',
    ]) {
      const problem = checkHolderId('111', id);
      expect(problem?.code, id).toBe('LB_HOLDER_ID_FORMAT');
      expect(problem?.message, id).toContain(ID_HINT);
    }
  });

  it('a credit code: names trim, halfWidth and upper', () => {
    for (const id of ['91370406l24894136j', '９１３７０４０６Ｌ２４８９４１３６Ｊ', ' 11100000000013338W ']) {
      const problem = checkHolderId('001', id);
      expect(problem?.code, id).toBe('LB_HOLDER_ID_FORMAT');
      expect(problem?.message, id).toContain(USCC_HINT);
    }
  });

  it('a value wrong in any form gets no such hint, and the 15 digits the upgrade hint', () => {
    expect(checkHolderId('111', '1101051949123100')?.message).not.toContain('written');
    expect(checkHolderId('001', '91370406l2489413')?.message).not.toContain('written');
    expect(checkHolderId('111', '110105491231002')?.message).toBe(
      'resident id 1101*******1002 fails the format check: expected 17 digits + check char 0-9 or X (GB 11643; the idNumber transform upgrades 15-digit numbers)',
    );
  });
});
