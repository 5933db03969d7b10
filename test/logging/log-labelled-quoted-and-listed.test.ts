/**
 * How a log line's free text writes a person's name or document number after a label, besides
 * `姓名：张三` and `证件号码：1101…`: the name in quotes or brackets (`姓名：“张三”`, `姓名【张三】`), after a
 * tab (`姓名\t张三`, a column copied from a sheet), or in a list (`姓名：张三、李四`); the number after
 * its document's kind in brackets (`证件号码（港澳通行证）：C…`), after a key (`idNo=`, `certNo=`,
 * `idCard=`), or in groups (`110101 19900307 1234`). Each went out whole in a log line
 * (core/labelled-names.ts, core/mask.ts); a platform's reason written so stays whole. Made up: no
 * one's names, numbers built with their check chars.
 */
import { describe, expect, it } from 'vitest';
import { hideLabelledNames } from '../../core/labelled-names.js';
import { everywhere, expectNoneShown, loggedTexts, stored } from './labelled-fixture.js';

// GB 11643's check char for 17 digits.
const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const idNumber = (body: string): string =>
  `${body}${'10X98765432'[WEIGHTS.reduce((s, w, i) => s + w * Number(body[i]), 0) % 11]}`;
const ID = idNumber('11010119900307123');
// Month 13: no ID number by its shape, a person's after a document's label still.
const MISTYPED = idNumber('11010119901307123');

describe('a name after a label, quoted, bracketed, after a tab or listed', () => {
  it.each([
    ['姓名：“测试戊己”', ['测试', '戊己']],
    ['姓名：‘测试戊己’', ['测试', '戊己']],
    ['姓名：「测试戊己」', ['测试', '戊己']],
    ['姓名：【测试戊己】', ['测试', '戊己']],
    ['姓名【测试戊己】', ['测试', '戊己']],
    ['持证人［测试戊己］已存在', ['测试', '戊己']],
    ['姓名：（测试戊己）', ['测试', '戊己']],
    ['姓名\t测试戊己', ['测试', '戊己']],
    ['持证人\t测试戊己\t已存在', ['测试', '戊己']],
    ['持证人 测试戊己 已存在', ['测试', '戊己']],
    ['姓名：测试戊己、欧阳庚辛', ['戊己', '庚辛']],
    ['持证人：测试戊己、欧阳庚辛、壬癸已存在', ['戊己', '庚辛', '壬癸']],
    ['holder: Ceshi Wuji, Ouyang Gengxin', ['Wuji', 'Gengxin']],
    ['姓名：“测试戊己”、“欧阳庚辛”', ['戊己', '庚辛']],
    ['姓名：测试戊己，庚辛', ['戊己', '庚辛']],
    ['姓名：测试戊己 庚辛壬', ['戊己', '庚辛壬']],
    ['持证人：测试戊己/庚辛', ['戊己', '庚辛']],
    ['holderName: "Ceshi Wuji", "Ouyang Gengxin"', ['Wuji', 'Gengxin']],
    // A label standing before another label's sign: the first is no name's, the second's name is.
    ['持证人 姓名：测试戊己 与登记信息不符', ['戊己']],
    ['申请人\t联系人：测试戊己', ['戊己']],
    ['holder 姓名：测试戊己', ['戊己']],
    ['姓名【持证人：测试戊己】', ['戊己']],
    ['联系人 手机号格式错误姓名：测试戊己', ['戊己']],
    // A list's sign with a space after it, a tab, or `;` and `/` between capitalised names.
    ['姓名：测试戊己、 欧阳庚辛', ['戊己', '庚辛']],
    ['姓名：测试戊己\t庚辛', ['戊己', '庚辛']],
    ['holder: Ceshi Wuji; Ouyang Gengxin', ['Wuji', 'Gengxin']],
    ['holder: Ceshi Wuji / Ouyang Gengxin', ['Wuji', 'Gengxin']],
    ['holder: Ceshi Wuji, Ouyang Gengxin: duplicate', ['Wuji', 'Gengxin']],
  ])('hides %s', (text, names) => {
    expectNoneShown(text, names);
  });

  it('keeps a key after a name hidden, as no name of a list', () => {
    expect(loggedTexts('holder: Ceshi Wuji, Status: Active')).toEqual(
      Array(2).fill('holder: ***, Status: Active'),
    );
  });

  it.each([
    '姓名：“不能为空”',
    '持证人：【必填】',
    '姓名：“长度不能超过50个字符”',
    '姓名\t不能为空',
    '持证人\t格式错误',
    '持证人 不存在',
    '联系人 手机号格式不正确',
    '持证人 住所与登记不一致',
    '申请人 联系电话为空',
    '联系人 邮箱格式错误',
    '持证人 相片不清晰',
    '负责人 学历证明缺失',
    '姓名：（空）',
    '姓名：公安、比对不通过',
    'holder: Required, Invalid format',
    '姓名：***，证件号码有误',
    '姓名：***，性别不符',
    '姓名：***；已存在',
  ])('keeps the reason %s whole', (reason) => {
    expect(loggedTexts(reason)).toEqual([reason, reason]);
    // A stored reason hides a quoted value whatever it reads, and reads a tab as a space.
    if (!/[“【（\t]/.test(reason)) expect(stored(reason)).toBe(reason);
  });
});

describe('what follows a name in its run', () => {
  it.each([
    ['持证人：戊己已存在', '持证人：***已存在'],
    ['持证人：戊己不存在', '持证人：***不存在'],
    ['持证人：庚辛壬已存在', '持证人：***已存在'],
    ['holder: Ceshi Wuji; Invalid format', 'holder: ***; Invalid format'],
    ['holder: Ceshi Wuji; Status: Active', 'holder: ***; Status: Active'],
  ])('is kept whole after %s', (text, hidden) => {
    expect(hideLabelledNames(text)).toBe(hidden);
  });
});

describe('a platform’s status after a listed name', () => {
  it.each([
    '姓名：测试戊己，待审核',
    '姓名：测试戊己；驳回',
    '持证人：测试戊己 通过',
    '持证人：测试戊己，审核中',
    '姓名：测试戊己，作废',
    '姓名：测试戊己 注销',
    '姓名：测试戊己，拒绝',
    '姓名：测试戊己，正常',
  ])('keeps it after %s', (text) => {
    const hidden = text.replace('测试戊己', '***');
    expect(loggedTexts(text)).toEqual([hidden, hidden]);
    expect(hideLabelledNames(text)).toBe(hidden);
  });
});

describe('a document number after a label, a key or in groups', () => {
  it.each([
    ['证件号码（港澳通行证）：C12345678', 'C12345678'],
    ['证件号码(往来台湾通行证)：T12345678', 'T12345678'],
    ['证件号码（护照）：EA1234567', 'EA1234567'],
    ['idNo=C12345678', 'C12345678'],
    ['certNo=12345678', '12345678'],
    ['idCard=12345678', '12345678'],
    [`idNo=${MISTYPED}`, MISTYPED],
    [`certNo: ${MISTYPED}`, MISTYPED],
    [`idCardNo=${ID}`, ID],
    [`sfzh=${MISTYPED}`, MISTYPED],
    ['证件号码（其他）：AB1234567', 'AB1234567'],
    [`SFZHM: ${MISTYPED}`, MISTYPED],
    [
      `身份证号：${MISTYPED.slice(0, 6)} ${MISTYPED.slice(6, 14)} ${MISTYPED.slice(14)}`,
      MISTYPED.slice(6, 14),
    ],
    [
      `证件号码：${MISTYPED.slice(0, 6)}-${MISTYPED.slice(6, 14)}-${MISTYPED.slice(14)}`,
      MISTYPED.slice(6, 14),
    ],
    [`holder ${ID.slice(0, 6)} ${ID.slice(6, 14)} ${ID.slice(14)}`, ID.slice(6, 14)],
    [`holder ${ID.slice(0, 6)}-${ID.slice(6, 14)}-${ID.slice(14)}`, ID.slice(6, 14)],
  ])('masks %s', (text, secret) => {
    for (const shown of [...everywhere(text), stored(text)]) expect(shown).not.toContain(secret);
  });

  it.each([
    '证照编号：12345678',
    'licenseNo=12345678',
    'orderNo=12345678',
    'idNo=1',
    'idNo=12345',
    'idNo=1234567',
    '证件号码（港澳通行证）：格式错误',
    'certNo=LB-2024-01',
  ])('keeps %s whole', (text) => {
    expect(loggedTexts(text)).toEqual([text, text]);
  });
});
