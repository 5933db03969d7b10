/**
 * A name in brackets right after its label (`经办人（张三）`, `持证人(张三)已存在`), and a name under
 * the pinyin initials a legacy table names its columns by (`CZRXM` 持证人姓名, `FRXM` 法人姓名, `LXR`
 * 联系人, `FDDBR` 法定代表人, `JBRXM` 经办人姓名, …) as a log line's JSON or `key=value` carries them
 * (`{"CZRXM":"张三"}`, `czrxm: 张三`): each went out whole, in a log line, and but for a quoted one in
 * an error's text and a stored reason too. A kind or a note in brackets (`申请人（个人）`,
 * `联系人(选填)`) stays, as does a message after the initials. Made up, no one's names.
 */
import { describe, expect, it } from 'vitest';
import { safeErrorText } from '../../core/error-text.js';
import { hideLabelledNames } from '../../core/labelled-names.js';
import { logged, stored } from '../logging/labelled-fixture.js';

const shownEverywhere = (text: string): string[] => {
  const { field, msg } = logged(text);
  return [hideLabelledNames(text), field, msg, safeErrorText(text), stored(text)];
};

describe('a name in brackets after its label', () => {
  it.each([
    ['经办人（张三）', '经办人（***）'],
    ['持证人(张三)', '持证人(***)'],
    ['持证人(张三)已存在', '持证人(***)已存在'],
    ['联系人（欧阳娜娜）与登记不符', '联系人（***）与登记不符'],
    ['代理人（李四、王五）', '代理人（***、***）'],
  ])('hides %s', (text, hidden) => {
    expect(hideLabelledNames(text)).toBe(hidden);
    for (const shown of shownEverywhere(text))
      for (const name of ['张三', '李四', '王五', '娜娜']) expect(shown).not.toContain(name);
  });

  it.each([
    '申请人（个人）',
    '申请人(单位)',
    '联系人(选填)',
    '持证人（法定代表人）',
    '持证人（自然人）信息不完整',
    '负责人（主要）',
    '经办人（必填）',
    '申请人(企业)名称有误',
    '持证人（单位名称）',
    '户主（本人）',
  ])('keeps %s whole', (text) => {
    expect(hideLabelledNames(text)).toBe(text);
    expect(logged(text).field).toBe(text);
  });
});

describe("a name under a legacy column's pinyin initials", () => {
  it.each([
    ['{"CZRXM":"张三"}', '{"CZRXM":"***"}'],
    ['czrxm: 张三', 'czrxm: ***'],
    ['FRXM=李四', 'FRXM=***'],
    ['LXR=李四', 'LXR=***'],
    ['LXRXM=李四', 'LXRXM=***'],
    ['JBRXM: 李四', 'JBRXM: ***'],
    ['SQRXM=张三', 'SQRXM=***'],
    ['FDDBR=张三', 'FDDBR=***'],
    ['fddbr：张三', 'fddbr：***'],
    ['{"FRDBXM":"ZHANG SAN"}', '{"FRDBXM":"***"}'],
    ['CZR_XM=张三', 'CZR_XM=***'],
    ['XINGMING=张三', 'XINGMING=***'],
    ['{"XM":"张三","SFZH":"1101**********1234"}', '{"XM":"***","SFZH":"1101**********1234"}'],
  ])('hides %s', (text, hidden) => {
    expect(hideLabelledNames(text)).toBe(hidden);
    for (const shown of shownEverywhere(text))
      for (const name of ['张三', '李四', 'ZHANG']) expect(shown).not.toContain(name);
  });

  it.each([
    'CZRXM: 不能为空',
    'LXR: Required',
    'FDDBR=与营业执照不一致',
    'JBRXM：长度不能超过50个字符',
    'FRDM=91370406L24894136J',
    'LXRDH: 格式错误',
    'XMLParser: Unexpected end',
  ])('keeps %s whole', (text) => {
    expect(hideLabelledNames(text)).toBe(text);
    expect(logged(text).field).toBe(text);
  });
});
