/**
 * successorOf: how a mapped row names the license it continues (docs/lifecycle.md, "Renewals,
 * changes and transfers"). Expected values are the rules of that page worked by hand: one of
 * predecessor.number / predecessor.sourceKey is enough, a named predecessor without an operation
 * is a renewal, an operation without a predecessor is LB_PREDECESSOR_REQUIRED, and a value other
 * than renew, change or transfer is LB_MAP_OPERATION.
 */
import { describe, expect, it } from 'vitest';
import { compileMappingText } from '../../mappings/compile.js';
import { successorOf } from '../../mappings/successor.js';
import type { CompiledMapping, LicenseDraft, MapReason } from '../../mappings/types.js';

// Line 4 holds the operation rule: reasons about the operation point there.
const MAPPING = compileMappingText(
  [
    'fields:',
    '  predecessor.number: { from: YZSBH, transform: [trim] }',
    '  predecessor.sourceKey: { from: YXKZID }',
    '  operation: { from: BGLX, lookup: { "1": renew, "2": change, "3": transfer } }',
  ].join('\n'),
  'renewals.yaml',
);

/** A mapped draft: the license fields do not matter to successorOf, only predecessor and operation. */
function draft(extra: Pick<LicenseDraft, 'predecessor' | 'operation'>): LicenseDraft {
  return {
    number: 'JY23702110012345',
    holder: { name: '青岛海滨食品有限公司', idType: '001', id: '91370406L24894136J' },
    issueDate: '2021-03-15',
    validFrom: '2021-03-15',
    validTo: '2026-03-14',
    status: 'valid',
    surface: {},
    ...extra,
  };
}

describe('successorOf: a license that continues another', () => {
  it('gives nothing for a license that names no predecessor and no operation', () => {
    expect(successorOf(draft({}), MAPPING)).toStrictEqual({});
    expect(
      successorOf(draft({ predecessor: { number: null, sourceKey: null }, operation: null }), MAPPING),
    ).toStrictEqual({});
  });

  it('takes blank text as no predecessor (a CHAR column of spaces)', () => {
    expect(successorOf(draft({ predecessor: { number: '    ', sourceKey: '' } }), MAPPING)).toStrictEqual({});
  });

  it('makes a named predecessor without an operation a renewal, its number trimmed', () => {
    expect(successorOf(draft({ predecessor: { number: '  JY23702110000007 ' } }), MAPPING)).toStrictEqual({
      predecessor: { number: 'JY23702110000007' },
      operation: 'renew',
    });
  });

  it('accepts the source key alone, a numeric key as text', () => {
    expect(successorOf(draft({ predecessor: { sourceKey: 4711 } }), MAPPING)).toStrictEqual({
      predecessor: { sourceKey: '4711' },
      operation: 'renew',
    });
  });

  it('keeps both names and the operation the mapping gives', () => {
    expect(
      successorOf(
        draft({ predecessor: { number: 'JY1', sourceKey: 'k-9' }, operation: ' transfer ' }),
        MAPPING,
      ),
    ).toStrictEqual({ predecessor: { number: 'JY1', sourceKey: 'k-9' }, operation: 'transfer' });
    expect(
      successorOf(draft({ predecessor: { number: 'JY1' }, operation: 'change' }), MAPPING),
    ).toStrictEqual({
      predecessor: { number: 'JY1' },
      operation: 'change',
    });
  });
});

describe('successorOf: rows it quarantines', () => {
  it('refuses an operation with no predecessor, pointing at the operation rule', () => {
    const result = successorOf(draft({ predecessor: { number: '  ' }, operation: 'change' }), MAPPING);
    expect(result).toStrictEqual({
      reasons: [
        {
          code: 'LB_PREDECESSOR_REQUIRED',
          message: expect.stringMatching(/operation change .*predecessor\.number or predecessor\.sourceKey/),
          path: 'operation',
          location: 'renewals.yaml:4',
        },
      ],
    });
  });

  it('refuses an operation that is not renew, change or transfer, naming it and the allowed ones', () => {
    // `expire` is a license operation, but not one a new license can continue another by.
    for (const predecessor of [{ number: 'JY1' }, {}]) {
      const result = successorOf(draft({ predecessor, operation: 'expire' }), MAPPING);
      expect(result).toStrictEqual({
        reasons: [
          {
            code: 'LB_MAP_OPERATION',
            message: expect.stringContaining('`expire` is not one of renew, change, transfer'),
            path: 'operation',
            location: 'renewals.yaml:4',
          },
        ],
      });
    }
    // Operations are codes: no case folding.
    expect(successorOf(draft({ predecessor: { number: 'JY1' }, operation: 'Renew' }), MAPPING)).toMatchObject(
      {
        reasons: [{ code: 'LB_MAP_OPERATION' }],
      },
    );
  });

  it('gives a reason without a location when the mapping does not say where the operation came from', () => {
    const unlocated: CompiledMapping = { ...MAPPING, origins: {} };
    expect(successorOf(draft({ operation: 'renew' }), unlocated)).toStrictEqual({
      reasons: [{ code: 'LB_PREDECESSOR_REQUIRED', message: expect.any(String), path: 'operation' }],
    });
    const [reason] = (successorOf(draft({ operation: 7 }), unlocated) as { reasons: object[] }).reasons;
    expect(reason).toStrictEqual({
      code: 'LB_MAP_OPERATION',
      message: expect.stringContaining('`7`'),
      path: 'operation',
    });
  });
});

describe('successorOf: the value an operation reason quotes', () => {
  it('masks an ID or mobile number in it, as every reason does', () => {
    // A rule reading the wrong column: the operation is a person's ID number.
    const [reason] = (
      successorOf(draft({ predecessor: { number: 'JY1' }, operation: '11010519491231002X' }), MAPPING) as {
        reasons: { message: string }[];
      }
    ).reasons;
    expect(reason?.message).not.toContain('11010519491231002X');
    expect(reason?.message).toContain('is not one of renew, change, transfer');
  });
});

describe('successorOf: an operation read from a personal column', () => {
  // A rule reading the wrong column: the holder's name, or an ID number with a digit missing,
  // has no shape to be masked by; the column feeds holder.name or holder.id, so it is personal.
  const WRONG = compileMappingText(
    [
      'fields:',
      '  holder.name: { from: XM }',
      '  holder.id: { from: ZJHM }',
      '  predecessor.number: { from: YZSBH }',
      '  operation: { from: XM }',
    ].join('\n'),
    'wrong-column.yaml',
  );
  const reasonOf = (mapping: CompiledMapping, operation: string) =>
    (successorOf(draft({ predecessor: { number: 'JY1' }, operation }), mapping) as { reasons: MapReason[] })
      .reasons[0];

  it('masks the value it quotes, keeping the rest of the reason', () => {
    const reason = reasonOf(WRONG, '张三丰');
    expect(reason?.code).toBe('LB_MAP_OPERATION');
    expect(reason?.message).not.toContain('三丰');
    expect(reason?.message).toContain('is not one of renew, change, transfer');
    expect(reason?.location).toBe('wrong-column.yaml:5');
  });

  it('reading the id column, masks a number of no ID shape', () => {
    const mapping = compileMappingText(
      [
        'fields:',
        '  holder.id: { from: ZJHM }',
        '  predecessor.number: { from: YZSBH }',
        '  operation: { from: ZJHM }',
      ].join('\n'),
      'wrong-id.yaml',
    );
    expect(reasonOf(mapping, '1101051949123100')?.message).not.toContain('1101051949123100');
  });

  it('quotes an operation from a column no personal field reads in clear', () => {
    expect(reasonOf(MAPPING, 'Renew')?.message).toContain('`Renew`');
  });
});
