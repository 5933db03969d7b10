/**
 * Rare surnames that are a message's first character too (超, 必, 非, 是, 以): a name with one
 * (`姓名：非凡`, `持证人：超明已存在`) was read as a message by its first character and went out whole.
 * Such a name is hidden now, and a message opening with one stays whole by the words that follow
 * it (超过, 必填, 非法, 是否, 以字母开头). Made up, no one's names.
 */
import { describe, expect, it } from 'vitest';
import { safeErrorText } from '../../core/error-text.js';
import { hideLabelledNames } from '../../core/labelled-names.js';
import { logged, stored } from '../logging/labelled-fixture.js';

describe('a name with a rare surname a message opens with', () => {
  it.each([
    ['姓名：非凡', '姓名：***', '非凡'],
    ['姓名：超明', '姓名：***', '超明'],
    ['持证人：超明已存在', '持证人：***已存在', '超明'],
    ['姓名：必文', '姓名：***', '必文'],
    ['姓名：是云华', '姓名：***', '是云华'],
    ['持证人：以宁与登记信息不符', '持证人：***与登记信息不符', '以宁'],
    ['姓名：测试戊己，非凡', '姓名：***，***', '非凡'],
  ])('hides %s', (text, hidden, name) => {
    expect(hideLabelledNames(text)).toBe(hidden);
    const { field, msg } = logged(text);
    for (const shown of [field, msg, safeErrorText(text), stored(text)]) expect(shown).not.toContain(name);
  });

  it.each([
    '姓名：超过50个字符',
    '姓名：超长',
    '姓名：超出长度',
    '姓名：超',
    '姓名：必填',
    '持证人：必须填写',
    '姓名：非法字符',
    '姓名：非空',
    '姓名：非中文',
    '持证人：非本人',
    '姓名：是否一致',
    '姓名：是必填项',
    '姓名：以字母开头',
    '姓名：以身份证为准',
    '持证人：以下字段有误',
  ])('keeps the message %s whole', (reason) => {
    expect(hideLabelledNames(reason)).toBe(reason);
    expect(safeErrorText(reason)).toBe(reason);
    expect(stored(reason)).toBe(reason);
  });
});
