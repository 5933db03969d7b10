/**
 * Names listed after a value that reads as a problem (`持证人：证书过期，庚辛`): the problem is shown
 * whole, as an operator needs it, and the names after `，`, `、` or `；` are read as a list's. Since
 * 16da293a read 过期 as a problem's end (`代理人 授权过期`), the reading stopped there and the names
 * after went out whole, where cbda075f hid them (and after 关系不符 or 授权…, read as a message
 * since); so did a name after any message at cbda075f (`证件有误，庚辛`). A problem within a list
 * is shown as a status is, and the list read on. Made up, no one's names.
 */
import { describe, expect, it } from 'vitest';
import { hideLabelledNames } from '../../core/labelled-names.js';
import { expectNoneShown } from '../logging/labelled-fixture.js';

describe('a name listed after a problem', () => {
  it.each([
    ['持证人：证书过期，测试庚', '持证人：证书过期，***', ['测试庚']],
    ['持证人：执照过期、测试庚', '持证人：执照过期、***', ['测试庚']],
    ['申请人：期限过期，戊己', '申请人：期限过期，***', ['戊己']],
    ['法定代表人：执照过期，测试戊', '法定代表人：执照过期，***', ['测试戊']],
    ['持证人：证件有误，测试庚', '持证人：证件有误，***', ['测试庚']],
    ['持证人：证件无效；测试庚', '持证人：证件无效；***', ['测试庚']],
    ['持证人：证书过期，测试庚、戊己', '持证人：证书过期，***、***', ['测试庚', '戊己']],
    ['持证人：证书过期，王戊己已存在', '持证人：证书过期，***已存在', ['王戊己']],
    ['持证人：证书过期，测试庚，待审核', '持证人：证书过期，***，待审核', ['测试庚']],
    ['持证人：证书过期，受理，测试庚', '持证人：证书过期，受理，***', ['测试庚']],
    ['户主：关系不符，测试庚', '户主：关系不符，***', ['测试庚']],
    ['持证人：不能为空；测试庚', '持证人：不能为空；***', ['测试庚']],
    ['姓名：戊己，都过期，测试庚', '姓名：***，都过期，***', ['戊己', '测试庚']],
  ])('hides the name in %s', (text, hidden, names) => {
    expect(hideLabelledNames(text)).toBe(hidden);
    expectNoneShown(text, names);
  });

  it.each([
    '代理人 授权过期',
    '户主 关系不符',
    '持证人：证书过期',
    '持证人：证件有误，请核对',
    '持证人：证书过期，证件号码有误',
    '持证人：证书过期，需重新办理',
    '持证人：证书过期，已注销',
    '姓名：不能为空，证件号码有误',
    '持证人：证书过期，受理',
  ])('keeps %s whole', (text) => {
    expect(hideLabelledNames(text)).toBe(text);
  });
});
