/**
 * Chinese platforms write a validation message as `field：problem` (`持证人：不能为空`), and many
 * name their fields by the labels a name follows: read as a name, the problem was hidden from the
 * reason stored for a delivery and its dead letter (`持证人：***`), and from a log line, and an
 * operator could not tell what to fix. Only a name-shaped value after such a label is hidden: a
 * short run of Han characters standing whole, or capitalised words, neither opening with a word
 * of a validation message (core/labelled-names.ts).
 */
import { describe, expect, it } from 'vitest';
import { safeErrorText } from '../../core/error-text.js';
import { logged, stored } from './labelled-fixture.js';

describe("a platform's reason written field：problem", () => {
  it.each([
    '持证人：不能为空',
    '联系人：手机号格式不正确',
    '法定代表人：与营业执照不一致',
    '姓名：长度不能超过50个字符',
    '申请人：未实名认证',
    '负责人：信息缺失',
    '姓名：必填',
    '当事人：格式错误',
    '持证人:为空',
    '姓名=无效',
    '负责人：职务为空',
    '联系人：地址有误',
    'holder: Required',
    'holderName: Invalid format',
    'holder_name: Must not be empty',
    'HOLDER_NAME: REQUIRED',
    'xm: LB_SOURCE_SCHEMA',
  ])('keeps %s whole', (reason) => {
    const { field, msg } = logged(reason);
    expect(field).toBe(reason);
    expect(msg).toBe(`refused: ${reason}`);
    expect(safeErrorText(reason)).toBe(reason);
    expect(stored(reason)).toBe(reason);
  });

  // Made up: no one's name.
  it.each([
    ['持证人：测试，证件号码有误', '持证人：***，证件号码有误'],
    ['持证人：测试戊己', '持证人：***'],
    ['姓名：欧阳戊己，', '姓名：***，'],
    ['联系人：测试戊己 13800138000', '联系人：***'],
    ['持证人：测试戊己已存在', '持证人：***已存在'],
    ['持证人：测试戊己与登记不符', '持证人：***与登记不符'],
    ['联系人：测试戊己先生，请核对', '联系人：***先生，请核对'],
    ['holder: Ceshi Wuji', 'holder: ***'],
    ['holderName: Ceshi Wuji Required', 'holderName: *** Required'],
    ['{"holderName":"测试戊己"}', '{"holderName":"***"}'],
  ])('still hides the name in %s', (reason, hidden) => {
    const { field } = logged(reason);
    expect(field.startsWith(hidden)).toBe(true);
    for (const shown of [field, safeErrorText(reason), stored(reason)]) {
      expect(shown).not.toContain('戊己');
      expect(shown).not.toContain('测试');
      expect(shown).not.toContain('Wuji');
    }
  });
});
