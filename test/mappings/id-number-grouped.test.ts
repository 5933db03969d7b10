/**
 * A resident ID number written in its groups, as forms and scans print it and legacy systems keep
 * it (`110105 19491231 002X`, with dashes, spaces of either width, or both), is a number the
 * mapping reads as a person's (catalog/personal.ts masks it so). The idNumber transform, which
 * brings legacy forms of the number to the 18-char form, left the groups in, so the row was
 * quarantined LB_HOLDER_ID_FORMAT, and the reason's hint was that idNumber upgrades 15-digit
 * numbers, which had nothing to do with it. idNumber now joins the groups; the catalog's reason
 * for a number written in groups names idNumber as what joins them.
 * Vectors: reference STANDARDS.md §2 (11010519491231002X, 440524188001010014).
 */
import { describe, expect, it } from 'vitest';
import { checkHolderId } from '../../catalog/holder-id.js';
import { compileMappingText } from '../../mappings/compile.js';
import type { InputValue } from '../../mappings/types.js';

const idNumber = (value: InputValue): unknown => {
  const m = compileMappingText('fields:\n  holder.id: { from: V, transform: [idNumber] }\n', 't.yaml');
  const r = m.map({ V: value });
  return r.ok ? r.fields.holder.id : r.reasons.map((x) => x.code);
};

describe('idNumber on a number written in groups', () => {
  it('joins groups of 6, 8 and 4 separated by spaces, dashes or both', () => {
    for (const written of [
      '110105 19491231 002X',
      '110105-19491231-002x',
      '110105\u300019491231\u3000002X',
      '１１０１０５－１９４９１２３１－００２Ｘ',
      ' 110105 19491231-002X ',
      '440524 18800101 0014',
    ]) {
      expect(idNumber(written), written).toBe(
        written.includes('4405') ? '440524188001010014' : '11010519491231002X',
      );
    }
  });

  it('joins a 15-digit number written in groups and upgrades it', () => {
    expect(idNumber('110105 491231 002')).toBe('11010519491231002X');
  });

  it('leaves what is no resident ID number once joined as written', () => {
    for (const written of [
      'E 1234 5678',
      '110105 1949',
      'No. 110105 19491231 002X',
      '110105 19491231 002X 1',
    ])
      expect(idNumber(written), written).toBe(written.trim());
  });
});

describe('holderIdType on a number written in groups', () => {
  it('reads it as the resident ID number it is', () => {
    const m = compileMappingText(
      'fields:\n  holder.idType: { from: V, transform: [{ holderIdType: ["001", "111"] }] }\n',
      't.yaml',
    );
    for (const written of ['110105 19491231 002X', '110105-19491231-002x', '110105 491231 002']) {
      const r = m.map({ V: written });
      expect(r.ok ? r.fields.holder.idType : r.reasons.map((x) => x.code), written).toBe('111');
    }
  });
});

describe("the catalog's reason for a number written in groups", () => {
  it('names idNumber as what joins the groups, the number masked', () => {
    const problem = checkHolderId('111', '110105 19491231 002X');
    expect(problem?.code).toBe('LB_HOLDER_ID_FORMAT');
    expect(problem?.message).toContain(
      'written in groups (spaces or dashes between them), which the idNumber transform joins',
    );
    expect(problem?.message).not.toContain('19491231');
    expect(problem?.message).not.toContain('upgrades 15-digit numbers');
  });
});
