/**
 * Labels that say a person's name follows besides 姓名, 持证人 and the rest core/labelled-names.ts
 * knew: 名字, 经办人, 经办人员 and 办理人 (who handled a matter), 代理人, 受托人 and 委托人 (an agent
 * and the one who appointed them), 监护人 (a minor's guardian), 收件人, 领证人, 领取人 and 签收人 (who
 * receives a license), 联络人 (a contact) and 户主 (the head of a household), and in English
 * `guardian`, `householder`, `agentName`, `recipientName`, in capitals too. A name after
 * each went out whole in a log line, an error's text and a stored reason; a platform's message after
 * them stays whole, and 法人 alone, the legal person itself as often, is no label. Made up, no one's names.
 */
import { describe, expect, it } from 'vitest';
import { safeErrorText } from '../../core/error-text.js';
import { hideLabelledNames } from '../../core/labelled-names.js';
import { logged, stored } from '../logging/labelled-fixture.js';

describe('a name after a label first left out', () => {
  it.each([
    ['名字：测试戊己', '名字：***', '戊己'],
    ['经办人：测试戊己', '经办人：***', '戊己'],
    ['代理人：测试戊己已存在', '代理人：***已存在', '戊己'],
    ['委托人：测试戊己', '委托人：***', '戊己'],
    ['监护人：欧阳庚辛与登记信息不符', '监护人：***与登记信息不符', '庚辛'],
    ['收件人：测试戊己', '收件人：***', '戊己'],
    ['户主：测试戊己', '户主：***', '戊己'],
    ['经办人员：测试戊己', '经办人员：***', '戊己'],
    ['受托人：测试戊己', '受托人：***', '戊己'],
    ['领证人：测试戊己，联系电话有误', '领证人：***，联系电话有误', '戊己'],
    ['户主 测试戊己 已存在', '户主 *** 已存在', '戊己'],
    ['办理人：测试戊己', '办理人：***', '戊己'],
    ['领取人：测试戊己，已领取', '领取人：***，已领取', '戊己'],
    ['签收人=测试戊己', '签收人=***', '戊己'],
    ['联络人：测试戊己已存在', '联络人：***已存在', '戊己'],
    ['GUARDIAN: CESHI WUJI', 'GUARDIAN: ***', 'WUJI'],
    ['HOUSEHOLDER_NAME=Ceshi Wuji', 'HOUSEHOLDER_NAME=***', 'Wuji'],
    ['AGENT_NAME=CESHI WUJI', 'AGENT_NAME=***', 'WUJI'],
    ['{"RECIPIENT_NAME":"Ceshi Wuji"}', '{"RECIPIENT_NAME":"***"}', 'Wuji'],
    ['经办人 测试戊己 已存在', '经办人 *** 已存在', '戊己'],
    ['guardian: Ceshi Wuji', 'guardian: ***', 'Wuji'],
    ['householder: Ceshi Wuji', 'householder: ***', 'Wuji'],
    ['"agentName":"Ceshi Wuji"', '"agentName":"***"', 'Wuji'],
    ['recipient_name=Ceshi Wuji', 'recipient_name=***', 'Wuji'],
  ])('hides %s', (text, hidden, name) => {
    expect(hideLabelledNames(text)).toBe(hidden);
    const { field, msg } = logged(text);
    for (const shown of [field, msg, safeErrorText(text), stored(text)]) expect(shown).not.toContain(name);
  });

  it.each([
    '名字：不能为空',
    '经办人：不能为空',
    '代理人：与委托书不一致',
    '委托人：信息不完整',
    '监护人 联系电话为空',
    '收件人：地址有误',
    '户主：须与户口簿一致',
    '法人 组织机构代码为空',
    '非法人 组织',
    '领证人：与申请人不一致',
    '姓名：经办人不能为空',
    '持证人：代理人信息不完整',
    '姓名：监护人信息缺失',
    'guardian: Required',
    'recipientName: Invalid format',
    'User-Agent: Mozilla Firefox',
    'recipient: Province Platform',
  ])('keeps the message %s whole', (reason) => {
    expect(hideLabelledNames(reason)).toBe(reason);
    expect(safeErrorText(reason)).toBe(reason);
    expect(stored(reason)).toBe(reason);
  });
});
