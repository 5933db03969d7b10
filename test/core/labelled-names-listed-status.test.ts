/**
 * What a platform writes after a holder's name and `，`, `；`, `/` or a space besides the statuses
 * core/labelled-names.ts knew (`姓名：测试戊己，待审核`): the stage of a matter (办结, 受理, 审批中,
 * 待签章, any 待…, no surname), what was done to a record (新增, 删除, 冻结) and the holder's sex or
 * ethnic group (男性, 汉族, 蒙古族). Read as a second name, each was hidden, and the reason told an
 * operator nothing. A name there is hidden still, and so is a name listed after such a word
 * (`姓名：测试戊己/男性/汉族；庚辛/女性/汉族`): the list went on past a status until 5b146afb and
 * went out whole from there with 864b1082. Made up, no one's names.
 */
import { describe, expect, it } from 'vitest';
import { hideLabelledNames } from '../../core/labelled-names.js';
import { loggedTexts } from '../logging/labelled-fixture.js';

const SHOWN = [
  '办结 受理 退件 补正 撤回 审批中 办理中 处理中 受理中 核验中 完成 提交 删除 新增 修改 更新',
  '发证 制证 签发 归档 挂起 停用 启用 冻结 锁定 确认 生效 同步 推送 上报 入库 出库 延续 补办',
  '换证 补证 年检 待受理 待签章 待办 待制证 待签发 待核验 待确认 待生效 待同步 待上报 待定',
  '男性 女性 汉族 回族 满族 壮族 蒙古族',
]
  .join(' ')
  .split(' ');

describe('a status after a listed name', () => {
  it.each(
    SHOWN.flatMap((word) => [
      `姓名：测试戊己，${word}`,
      `持证人：测试戊己/${word}`,
      `姓名：测试戊己；${word}`,
      `姓名：测试戊己 ${word}`,
    ]),
  )('keeps it in %s', (text) => {
    const hidden = text.replace('测试戊己', '***');
    expect(hideLabelledNames(text)).toBe(hidden);
    expect(loggedTexts(text)).toEqual([hidden, hidden]);
  });

  it.each([
    ['姓名：测试戊己，庚辛', '姓名：***，***'],
    ['姓名：测试戊己，庚族辛', '姓名：***，***'],
    ['姓名：测试戊己，庚族', '姓名：***，***'],
    ['持证人：测试戊己 欧阳族 已存在', '持证人：*** *** 已存在'],
    ['姓名：测试戊己，庚辛，待审核', '姓名：***，***，待审核'],
  ])('hides a name there still: %s', (text, hidden) => {
    expect(hideLabelledNames(text)).toBe(hidden);
  });

  it.each([
    ['姓名：测试戊己/男性/汉族；庚辛/女性/汉族', '姓名：***/男性/汉族；***/女性/汉族'],
    ['姓名：测试戊己 受理；庚辛 受理', '姓名：*** 受理；*** 受理'],
    ['持证人：测试戊己 办结，庚辛 办结', '持证人：*** 办结，*** 办结'],
    ['姓名：测试戊己，新增；庚辛，新增', '姓名：***，新增；***，新增'],
    ['姓名：测试戊己，完成，庚辛', '姓名：***，完成，***'],
    ['姓名：测试戊己 通过；庚辛 驳回', '姓名：*** 通过；*** 驳回'],
    ['姓名：测试戊己，待审核，庚辛壬', '姓名：***，待审核，***'],
  ])('hides a name listed after a status: %s', (text, hidden) => {
    expect(hideLabelledNames(text)).toBe(hidden);
    expect(loggedTexts(text)).toEqual([hidden, hidden]);
  });
});
