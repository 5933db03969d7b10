/**
 * Personal data under pinyin field names (法定代表人身份证号 fddbrsfzh, 姓名 xm, 证件号码 zjhm …),
 * and ID or mobile numbers in a reason whatever the field is called. Masks worked by hand from
 * core/mask.ts: an id keeps its first and last four characters, a name its first, a phone its
 * last four.
 */
import { describe, expect, it } from 'vitest';
import { isPersonalPath, maskPersonal, maskPersonalShapes, showValue } from '../../catalog/personal.js';
import { compileMappingText } from '../../mappings/compile.js';

const ID = '11010519491231002X'; // reference/STANDARDS.md §2 vector

describe('pinyin field names', () => {
  it('ID, name, person and phone fields named in pinyin initials are personal', () => {
    for (const seg of [
      'sfzh',
      'sfzhm',
      'sfzjhm',
      'zjhm',
      'zjh',
      'xm',
      'fddbr',
      'fddbrsfzh',
      'fddbrxm',
      'FDDBR_SFZH',
      'fr',
      'frsfzh',
      'fzr',
      'fzrxm',
      'jyz',
      'lxr',
      'lxdh',
      'lxrdh',
      'dh',
      'sjh',
      'sjhm',
      'phone',
      'mobile',
    ])
      expect(isPersonalPath(`surface.${seg}`), seg).toBe(true);
  });

  it('other pinyin names are not: 经营项目 jyxm, 名称 mc, 地址 dz, 发证日期 fzrq', () => {
    for (const seg of ['jyxm', 'mc', 'qymc', 'dz', 'fzrq', 'zt', 'xkzbh', 'frequency', 'fraction'])
      expect(isPersonalPath(`surface.${seg}`), seg).toBe(false);
  });

  it('masks each by what it holds', () => {
    expect(showValue('surface.sfzh', ID)).toBe('1101**********002X');
    expect(showValue('surface.fddbrsfzh', '11010519491231002x')).toBe('1101**********002x');
    expect(showValue('surface.zjhm', ID)).toBe('1101**********002X');
    expect(showValue('surface.xm', '张三丰')).toBe('张**');
    expect(showValue('surface.fddbr', '张三丰')).toBe('张**');
    expect(maskPersonal('surface.lxdh', '13800138000')).toBe('*******8000');
    expect(maskPersonal('surface.sjh', '13800138000')).toBe('*******8000');
  });
});

describe('ID and mobile numbers are masked in a reason whatever the path', () => {
  it('a resident ID number or a mobile number under a name that says nothing', () => {
    expect(showValue('surface.remark', ID)).toBe('1101**********002X');
    expect(showValue('surface.remark', `持证人 ${ID.toLowerCase()} 已注销`)).toBe(
      '持证人 1101**********002x 已注销',
    );
    expect(showValue('surface.remark', '电话13800138000')).toBe('电话*******8000');
    expect(showValue('surface.remark', '+86 13800138000')).toBe('***********8000');
  });

  it('leaves numbers that are not of those shapes', () => {
    // No birth date in digits 7–14; a credit code; a license number; 12 digits; a 2-prefixed 11 digits.
    expect(maskPersonalShapes('110105199913310021')).toBe('110105199913310021');
    expect(maskPersonalShapes('91370406L24894136J')).toBe('91370406L24894136J');
    expect(maskPersonalShapes('JY23702110012345')).toBe('JY23702110012345');
    expect(maskPersonalShapes('138001380001')).toBe('138001380001');
    expect(maskPersonalShapes('23800138000')).toBe('23800138000');
    expect(maskPersonalShapes('2024-03-01')).toBe('2024-03-01');
  });

  it('a quarantine reason of a pinyin-named ID field does not carry the full number', () => {
    const m = compileMappingText(
      'fields:\n  surface.fddbrsfzh: { from: FDDBRSFZ, transform: [idNumber, { date: [yyyyMMdd] }] }\n',
      '/maps/m.yaml',
    );
    const r = m.map({ FDDBRSFZ: '11010519491231002x' }, { today: '2024-06-15' });
    expect(r.ok).toBe(false);
    expect(JSON.stringify(r).toUpperCase()).not.toContain(ID);
  });

  it('a reason of a field whose name says nothing does not carry the number either', () => {
    const m = compileMappingText('fields:\n  surface.bz: { from: BZ, lookup: { a: b } }\n', '/maps/m.yaml');
    const r = m.map({ BZ: ID }, { today: '2024-06-15' });
    expect(r.ok).toBe(false);
    expect(JSON.stringify(r)).not.toContain(ID);
    expect(r.ok ? undefined : r.reasons[0]?.value).toBe('1101**********002X');
  });
});
