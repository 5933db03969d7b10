/**
 * A platform's reason after a holder's name and `，` about a thing of the record
 * (`姓名：测试戊己，证书已存在`, `，印章与备案不一致`, `，邮编和地址为空`): 059a6dc9 read two or three
 * characters before 已, 不存在, 与 or 和 there as a second name and hid them, and the reason told an
 * operator nothing. A name there opens with a surname and is no such noun (`，李庚已存在` is hidden
 * still). After a label with a space, a problem with the field (`户主 关系不符`, `代理人 授权过期`), and
 * after `and` a message's words (`holder: Ceshi Wuji and ID Card mismatch`), are no name either.
 * Made up, no one's names.
 */
import { describe, expect, it } from 'vitest';
import { hideLabelledNames } from '../../core/labelled-names.js';
import { expectNoneShown } from '../logging/labelled-fixture.js';

const NOUNS = [
  '证书 企业 学校 印章 邮编 令牌 密钥 主键 流程 环节 版本 用户名 申请 文件 任务 项目 记录',
  '许可 单位 日期 期限 地址 户籍 签章 公章 执照 合同 凭证 档案 角色 权限 会话 设备 渠道',
  '窗口 科室 银行卡 委托书 营业执照 经营范围 附件 照片 材料 模板 目录 批次 订单 字典 配置',
]
  .join(' ')
  .split(' ');
const ENDINGS = ['已存在', '不存在', '已被吊销', '与登记不符', '与备案不一致', '和地址为空'];

describe('a thing of the record after a listed name', () => {
  it.each(NOUNS.flatMap((noun) => ENDINGS.map((end) => `姓名：测试戊己，${noun}${end}`)))(
    'keeps the reason in %s',
    (text) => {
      expect(hideLabelledNames(text)).toBe(text.replace('测试戊己', '***'));
    },
  );

  it.each([
    '户主 关系不符',
    '代理人 授权过期',
    '监护人 关系与登记不符',
    'holder: Ceshi Wuji and ID Card mismatch',
    'holder: Ceshi Wuji & Company Name required',
    'holder: Ceshi Wuji and Passport Number invalid',
  ])('keeps the message in %s', (text) => {
    const hidden = text.replace(/测试戊己|Ceshi Wuji/, '***');
    expect(hideLabelledNames(text)).toBe(hidden);
  });

  it.each([
    ['姓名：测试戊己，李庚已存在', '姓名：***，***已存在', ['庚']],
    ['姓名：测试戊己，王庚辛不存在', '姓名：***，***不存在', ['庚辛']],
    ['姓名：测试戊己，欧阳庚辛已存在', '姓名：***，***已存在', ['庚辛']],
    ['姓名：测试戊己，张庚与登记不符', '姓名：***，***与登记不符', ['庚']],
    ['姓名：测试戊己，赵庚和钱辛', '姓名：***，***和***', ['庚', '辛']],
    ['姓名：测试戊己，文庚已存在', '姓名：***，***已存在', ['庚']],
    ['holder: Ceshi Wuji and Ouyang Gengxin', 'holder: *** and ***', ['Wuji', 'Gengxin']],
  ])('hides a name there still: %s', (text, hidden, names) => {
    expect(hideLabelledNames(text)).toBe(hidden);
    expectNoneShown(text, names);
  });
});
