/**
 * A message's opening word whose first character is a surname (公安, 公民, 库中, 要求, 当前, 经查,
 * 比对, 所属, 主体; `Real`, `Data`, `Id`, `Check`) was taken for a message however the run after
 * it went on, so a name built on it went out whole (`持证人：公安民与登记信息不符`, `姓名：库中华`,
 * `holder: Real Wang`). Such a word is a message's only alone or before a message's words; one
 * or two characters then what follows a name, or a capitalised word then no message word, are a
 * name. Made up, no one's names.
 */
import { describe, expect, it } from 'vitest';
import { safeErrorText } from '../../core/error-text.js';
import { hideLabelledNames } from '../../core/labelled-names.js';
import { logged, stored } from '../logging/labelled-fixture.js';

describe('a name opening with the first word of a message', () => {
  it.each([
    ['持证人：公安民与登记信息不符', '持证人：***与登记信息不符', '公安民'],
    ['姓名：库中华', '姓名：***', '库中华'],
    ['持证人：库中华已存在', '持证人：***已存在', '库中华'],
    ['申请人：公民强', '申请人：***', '公民强'],
    ['联系人：要求真', '联系人：***', '要求真'],
    ['姓名：当前进与公安库不一致', '姓名：***与公安库不一致', '当前进'],
    ['法定代表人：经查理', '法定代表人：***', '经查理'],
    ['持证人：所属华已存在', '持证人：***已存在', '所属华'],
    ['持证人：主体强已存在', '持证人：***已存在', '主体强'],
    ['姓名：比对明', '姓名：***', '比对明'],
    ['姓名：应为民', '姓名：***', '应为民'],
    ['持证人：应当强已存在', '持证人：***已存在', '应当强'],
    ['申请人：查询明', '申请人：***', '查询明'],
    ['持证人：尚无忌与登记信息不符', '持证人：***与登记信息不符', '尚无忌'],
    ['联系人：尚未来', '联系人：***', '尚未来'],
    ['持证人：公安超已存在', '持证人：***已存在', '公安超'],
    ['姓名：公民超', '姓名：***', '公民超'],
    ['姓名：主体超', '姓名：***', '主体超'],
    ['姓名：比对超', '姓名：***', '比对超'],
    ['姓名：要求超', '姓名：***', '要求超'],
    ['姓名：公安写', '姓名：***', '公安写'],
    ['姓名：当前应', '姓名：***', '当前应'],
    ['holder: Real Wang', 'holder: ***', 'Wang'],
    ['holder: Data Zhang', 'holder: ***', 'Zhang'],
    ['holder: Id Wang', 'holder: ***', 'Wang'],
    ['holder: Check Li', 'holder: ***', 'Li'],
    ['holder: Check Li, 证件号码有误', 'holder: ***, 证件号码有误', 'Li'],
    ['holder: Name Wang Required', 'holder: *** Required', 'Wang'],
  ])('hides %s', (text, hidden, name) => {
    expect(hideLabelledNames(text)).toBe(hidden);
    const { field, msg } = logged(text);
    for (const shown of [field, msg, safeErrorText(text), stored(text)])
      expect(shown).not.toMatch(new RegExp(`${name}(?![a-z])`));
  });

  it.each([
    '姓名：公安',
    '姓名：比对',
    '持证人：所属',
    '姓名：主体',
    '持证人：库中无此人',
    '姓名：公安库中无记录',
    '持证人：公民身份号码有误',
    '持证人：所属机构不存在',
    '姓名：比对结果不一致',
    '持证人：经查无此人',
    '持证人：要求必填',
    '持证人：当前状态不允许变更',
    '姓名：应为中文',
    '姓名：应为汉字',
    '持证人：应与营业执照一致',
    '持证人：应填写真实姓名',
    '姓名：应当与证件一致',
    '持证人：查无此人',
    '姓名：查询失败',
    '持证人：尚未实名认证',
    '持证人：尚无记录',
    '姓名：尚未登记',
    '姓名：长度不能超过50个字符',
    '姓名：长度超出定义',
    '姓名：长度应在2到20之间',
    '姓名：查询超时',
    '姓名：应为简体中文',
    '姓名：应为正确的姓名',
    '持证人：查无该人员信息',
    '持证人：查无相关记录',
    '持证人：查询出错',
    '持证人：尚未完成实名认证',
    '持证人：尚未提交',
    '持证人：尚不支持',
    '持证人：尚未开通',
    '姓名：长度太长',
    '姓名：长度大于20',
    'holder: Check Failed',
    'holder: Data Error',
    'holder: Name Mismatch',
    'holder: Real Name Verification Failed',
  ])('keeps the message %s whole', (reason) => {
    expect(hideLabelledNames(reason)).toBe(reason);
    expect(safeErrorText(reason)).toBe(reason);
    expect(stored(reason)).toBe(reason);
  });
});
