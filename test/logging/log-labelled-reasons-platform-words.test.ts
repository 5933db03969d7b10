/**
 * Validation reasons as platforms write them after a field a name follows (持证人, 姓名, `holder`)
 * that open with none of the words core/labelled-names.ts listed: five characters or more were read
 * as a name run on into a message, and the two to four before a word a name is followed by, or the
 * whole run, were hidden (`持证人：***与公安库不一致`, `姓名：***`, `holder: *** failed`), so an
 * operator could not tell what to fix. Their opening words (值, 比对, 核验, 公安, 所填, the label
 * itself, `Name`, `Verification`, …) are a message's now; a name before the same words, and a
 * name whose surname is such a word's first character (经纬, 比干, 公孙策), is hidden as before.
 */
import { describe, expect, it } from 'vitest';
import { safeErrorText } from '../../core/error-text.js';
import { logged, stored } from './labelled-fixture.js';

describe("a platform's reason opening with a message's words", () => {
  it.each([
    '持证人：值不能为空',
    '持证人：持证人名称不能为空',
    '持证人：持证人不存在',
    '姓名：名字中不能含数字',
    '姓名：人像比对不通过',
    '姓名：公民身份号码与姓名不匹配',
    '持证人：公安比对不通过',
    '申请人：对应的身份信息不存在',
    '持证人：所填姓名与证件不一致',
    '法定代表人：经核查与公安库不一致',
    '联系人：没有填写',
    '姓名：生僻字无法识别',
    '姓名：字数超过限制',
    '持证人：当前状态不允许变更',
    '持证人：禁止修改',
    '姓名：核验不通过',
    '持证人：系统中不存在',
    '持证人：找不到对应记录',
    '联系人：要求必填',
    '持证人：人员信息不存在',
    '持证人：主体信息不存在',
    '姓名：比对失败',
    '姓名：比对不一致',
    '姓名：核验失败',
    '持证人：库中无此人',
    'holder: Name must not be empty',
    'holder: Verification failed',
    'holderName: Contains invalid characters',
    'holder: ID mismatch',
    'holder: Inconsistent with ID card',
    'holder: Name and ID number do not match',
    'holder: Holder name is required',
    'holder: Check failed',
    'holderName: Real name verification failed',
    'holder: Name Mismatch',
    'holder: Data Error',
    'holder: Identity check failed',
  ])('keeps %s whole', (reason) => {
    const { field, msg } = logged(reason);
    expect(field).toBe(reason);
    expect(msg).toBe(`refused: ${reason}`);
    expect(safeErrorText(reason)).toBe(reason);
    expect(stored(reason)).toBe(reason);
  });

  // Made up, or a historical figure's: no holder's name.
  it.each([
    ['持证人：测试戊己比对不一致', '戊己'],
    ['持证人：测试戊己核验失败', '戊己'],
    ['姓名：测试戊己，值不能为空', '戊己'],
    ['持证人：经纬', '经纬'],
    ['持证人：经纬核验不通过', '经纬'],
    ['持证人：比干', '比干'],
    ['持证人：公孙策比对不一致', '孙策'],
    ['持证人：主父偃', '父偃'],
    ['持证人：要离', '要离'],
    ['holder: Ceshi Wuji, Verification failed', 'Wuji'],
    ['holder: Long Wuji', 'Wuji'],
    ['holder: Will Ceshi', 'Ceshi'],
  ])('still hides the name in %s', (reason, name) => {
    const { field, msg } = logged(reason);
    for (const shown of [field, msg, safeErrorText(reason), stored(reason)])
      expect(shown).not.toContain(name);
  });
});
