/**
 * 15-digit resident ID numbers (GB 11643-1989, issued before 1999, still in legacy data) are
 * masked in any reason like the 18-digit ones: a field whose name does not say it holds an ID
 * (a remark, a code looked up) showed one in clear in the quarantine table.
 */
import { describe, expect, it } from 'vitest';
import { maskPersonalShapes, showValue } from '../../catalog/personal.js';
import { compileMappingText } from '../../mappings/compile.js';

const OLD_ID = '110105491231002';

describe('15-digit resident ID numbers are masked whatever the path', () => {
  it('alone and inside text', () => {
    expect(showValue('surface.remark', OLD_ID)).toBe('1101*******1002');
    expect(maskPersonalShapes(`持证人 ${OLD_ID} 已迁出`)).toBe('持证人 1101*******1002 已迁出');
  });

  it('in a mapping reason for a code the lookup misses', () => {
    const m = compileMappingText(
      'fields:\n  surface.form: { from: ZTYT, lookup: { "1": 个体, "2": 企业 } }\n',
      '/maps/m.yaml',
    );
    const r = m.map({ ZTYT: OLD_ID });
    expect(r.ok).toBe(false);
    const reasons = r.ok ? [] : r.reasons;
    expect(reasons.map((x) => x.code)).toEqual(['LB_MAP_LOOKUP']);
    expect(JSON.stringify(reasons)).not.toContain(OLD_ID);
  });

  it('leaves 15-digit numbers that hold no birth date, and longer digit runs, alone', () => {
    expect(maskPersonalShapes('110105491331002')).toBe('110105491331002'); // month 13
    expect(maskPersonalShapes('110105490229002')).toBe('110105490229002'); // 1949-02-29
    expect(maskPersonalShapes('1110105491231002')).toBe('1110105491231002'); // 16 digits
    expect(maskPersonalShapes('010105491231002')).toBe('010105491231002'); // no area starts with 0
  });

  it('18-digit numbers and mobiles are masked as before', () => {
    expect(maskPersonalShapes('11010519491231002X 13800138000')).toBe('1101**********002X *******8000');
  });
});

describe('ID and mobile numbers in full-width digits are masked as the half-width ones', () => {
  it('an 18-digit, a 15-digit and a mobile number, alone and in text', () => {
    expect(maskPersonalShapes('１１０１０５１９４９１２３１００２Ｘ')).toBe('１１０１**********００２Ｘ');
    expect(maskPersonalShapes('身份证１１０１０５４９１２３１００２号')).toBe(
      '身份证１１０１*******１００２号',
    );
    expect(maskPersonalShapes('电话：１３８００１３８０００')).toBe('电话：*******８０００');
    expect(showValue('surface.remark', '１１０１０５１９４９１２３１００２Ｘ')).toBe(
      '１１０１**********００２Ｘ',
    );
  });

  it('leaves full-width text without such numbers as it is', () => {
    expect(maskPersonalShapes('ＡＢＣ１２３　面积１２０㎡')).toBe('ＡＢＣ１２３　面积１２０㎡');
  });
});
