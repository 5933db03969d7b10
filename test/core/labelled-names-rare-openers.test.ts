/**
 * Names core/labelled-names.ts read as a platform's message and showed whole: a two-character name
 * that is one of a message's opening words (`姓名：公民`, `姓名：库中`), such a name before what a
 * name is followed by (`持证人：公安已存在`), a name whose surname is one a message opens with too
 * (须, 空, 可: `姓名：须明`), and an English name ending in a message's noun (`holder: Juan Real`).
 * Those words stand alone as a message only where a platform writes them so (`姓名：公安`, `姓名：应为`,
 * `持证人：长度`), and the platforms' reasons stay whole. Made up, no one's names.
 */
import { describe, expect, it } from 'vitest';
import { safeErrorText } from '../../core/error-text.js';
import { hideLabelledNames } from '../../core/labelled-names.js';
import { logged, stored } from '../logging/labelled-fixture.js';

describe('a name read as a message', () => {
  it.each([
    ['姓名：公民', '姓名：***', '公民'],
    ['姓名：库中', '姓名：***', '库中'],
    ['联系人：当前', '联系人：***', '当前'],
    ['申请人：要求', '申请人：***', '要求'],
    ['持证人：经查', '持证人：***', '经查'],
    ['持证人：公安已存在', '持证人：***已存在', '公安'],
    ['持证人：比对不存在', '持证人：***不存在', '比对'],
    ['联系人：主体先生，请核对', '联系人：***先生，请核对', '主体'],
    ['持证人：公民库已存在', '持证人：***已存在', '公民库'],
    ['姓名：须明', '姓名：***', '须明'],
    ['姓名：空明', '姓名：***', '空明'],
    ['姓名：可欣', '姓名：***', '可欣'],
    ['持证人：须明已存在', '持证人：***已存在', '须明'],
    ['持证人：可欣与登记信息不符', '持证人：***与登记信息不符', '可欣'],
    ['holder: Juan Real', 'holder: ***', 'Real'],
    ['holder: Ana Data, 证件号码有误', 'holder: ***, 证件号码有误', 'Data'],
    ['holder: Juan Real Wang', 'holder: ***', 'Real'],
  ])('hides %s', (text, hidden, name) => {
    expect(hideLabelledNames(text)).toBe(hidden);
    const { field, msg } = logged(text);
    for (const shown of [field, msg, safeErrorText(text), stored(text)]) expect(shown).not.toContain(name);
  });

  it.each([
    '姓名：公安',
    '姓名：比对',
    '持证人：所属',
    '姓名：主体',
    '姓名：应为',
    '持证人：长度',
    '持证人：查无',
    '姓名：尚未',
    '持证人：所填',
    '姓名：须填写',
    '姓名：须为中文',
    '姓名：须与证件一致',
    '姓名：须在2到20个字之间',
    '姓名：须真实',
    '持证人：可为空',
    '姓名：空值',
    '持证人：空白',
    '姓名：须使用中文',
    '姓名：须准确填写',
    '姓名：须提供',
    '姓名：须唯一',
    '姓名：可为空值',
    '姓名：空格过多',
    '姓名：空缺',
    '姓名：可选',
    '持证人：比对不一致',
    '持证人：公安比对不通过',
    '持证人：主体信息不存在',
    '持证人：所属机构不存在',
    'holder: Real Name Verification Failed',
    'holder: Check Failed',
    'holder: Zhang San Real name mismatch',
  ])('keeps the message in %s whole', (reason) => {
    const kept = reason.replace('Zhang San', '***');
    expect(hideLabelledNames(reason)).toBe(kept);
    expect(stored(reason)).toBe(kept);
  });
});
