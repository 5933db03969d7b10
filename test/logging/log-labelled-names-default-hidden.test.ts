/**
 * After a label a name follows, what is not recognised as a validation message is hidden: the
 * default is to hide (core/labelled-names.ts). be7ef2f2 showed every value it could not place as
 * a name, and so showed names 255e51b1 hid: one opening with a character a message opens with too
 * (尚, a surname), a name run on into a message's words (`张三手机号格式错误`), two names joined
 * (`张三和李四`), and a given name that is an English word (`Max`). A reason stays whole only when
 * it opens with a message's word or is short and ends in a problem (`持证人：不能为空`).
 */
import { describe, expect, it } from 'vitest';
import { safeErrorText } from '../../core/error-text.js';
import { hideLabelledNames } from '../../core/labelled-names.js';
import { logged, stored } from './labelled-fixture.js';

describe('a value after a name label that is no validation message', () => {
  // Made up or placeholders (张三, 李四, 王五 are the Chinese John Doe; Max Mustermann the German one).
  it.each([
    ['持证人：尚雯婕', '持证人：***', ['尚雯婕', '雯婕']],
    ['持证人：张三和李四', '持证人：***', ['张三', '李四']],
    ['持证人：张三与李四', '持证人：***', ['张三', '李四']],
    ['法定代表人：王五与营业执照不一致', '法定代表人：***与营业执照不一致', ['王五']],
    ['持证人：李四与登记不符', '持证人：***与登记不符', ['李四']],
    ['联系人：王五手机号格式错误', '联系人：***手机号格式错误', ['王五']],
    ['持证人：王五电话有误', '持证人：***电话有误', ['王五']],
    ['持证人：张三请核对', '持证人：***请核对', ['张三']],
    ['姓名：张三丰年龄超限', '姓名：***年龄超限', ['张三丰']],
    ['持证人：测试戊己庚辛丙丁', '持证人：***', ['戊己', '庚辛', '丙丁']],
    ['holder: Max Mustermann', 'holder: ***', ['Max', 'Mustermann']],
    ['holder: Will Ceshi', 'holder: ***', ['Will', 'Ceshi']],
    ['holderName: Mark Wuji Required', 'holderName: *** Required', ['Mark', 'Wuji']],
  ])('hides %s', (reason, hidden, names) => {
    expect(hideLabelledNames(reason)).toBe(hidden);
    const { field, msg } = logged(reason);
    expect(field).toBe(hidden);
    expect(msg).toBe(`refused: ${hidden}`);
    for (const shown of [safeErrorText(reason), stored(reason)])
      for (const name of names) expect(shown).not.toContain(name);
  });

  it.each([
    '持证人：不能为空',
    '持证人：尚未实名认证',
    '持证人：尚无记录',
    '负责人：职务为空',
    'holder: Required',
    'holderName: Invalid format',
    'holder: Maximum length exceeded',
  ])('keeps the validation message %s whole', (reason) => {
    expect(hideLabelledNames(reason)).toBe(reason);
    expect(safeErrorText(reason)).toBe(reason);
    expect(stored(reason)).toBe(reason);
  });
});
