/**
 * Names of a list after a label that went out whole: a four-character name with a compound surname
 * after `，` (`姓名：测试戊己，欧阳庚辛`: only two or three characters standing whole were read as a
 * listed name), a listed name followed by what only a name is (`姓名：测试戊己，李庚辛已存在`; one opening with a
 * surname, as a noun of the record may stand there: labelled-names-listed-nouns), names joined
 * by 和, 及 or 与 after `，` (`姓名：测试戊己，李庚和壬癸`) and English names joined by `and` or `&`
 * (`holder: Ceshi Wuji and Ouyang Gengxin`). A platform's message after a name stays whole, with
 * what a record, a file or an account is said to be (`，账号已存在`, `，附件不存在`). Made up, no one's names.
 */
import { describe, expect, it } from 'vitest';
import { hideLabelledNames } from '../../core/labelled-names.js';
import { expectNoneShown } from '../logging/labelled-fixture.js';

describe('a listed name first left out', () => {
  it.each([
    ['姓名：测试戊己，欧阳庚辛', '姓名：***，***', ['戊己', '庚辛']],
    ['姓名：欧阳戊己，司马庚辛', '姓名：***，***', ['戊己', '庚辛']],
    ['持证人：测试戊己；诸葛庚辛', '持证人：***；***', ['戊己', '庚辛']],
    ['姓名：测试戊己 上官庚辛 已存在', '姓名：*** *** 已存在', ['戊己', '庚辛']],
    ['姓名：测试戊己，李庚辛已存在', '姓名：***，***已存在', ['戊己', '庚辛']],
    ['持证人：测试戊己，王庚辛不存在', '持证人：***，***不存在', ['戊己', '庚辛']],
    ['姓名：测试戊己，欧阳庚辛已注册', '姓名：***，***已注册', ['戊己', '庚辛']],
    ['姓名：测试戊己，李庚和壬癸', '姓名：***，***和***', ['戊己', '庚', '壬癸']],
    ['姓名：测试戊己，李庚及王癸已存在', '姓名：***，***及***已存在', ['戊己', '庚', '癸']],
    ['holder: Ceshi Wuji and Ouyang Gengxin', 'holder: *** and ***', ['Wuji', 'Gengxin']],
    ['holder: Ceshi Wuji & Ouyang Gengxin', 'holder: *** & ***', ['Wuji', 'Gengxin']],
    [
      'holder: Ceshi Wuji, Renshi Gui and Ouyang Gengxin',
      'holder: ***, *** and ***',
      ['Wuji', 'Gui', 'Gengxin'],
    ],
    ['holder: Ceshi Wuji AND Ouyang Gengxin', 'holder: *** AND ***', ['Wuji', 'Gengxin']],
    ['HOLDER_NAME=CESHI WUJI AND OUYANG GENGXIN', 'HOLDER_NAME=*** AND ***', ['WUJI', 'GENGXIN']],
  ])('hides %s', (text, hidden, names) => {
    expect(hideLabelledNames(text)).toBe(hidden);
    expectNoneShown(text, names);
  });

  it.each([
    ['姓名：测试戊己，账号已存在', '姓名：***，账号已存在'],
    ['姓名：测试戊己，附件不存在', '姓名：***，附件不存在'],
    ['持证人：测试戊己，许可证已存在', '持证人：***，许可证已存在'],
    ['持证人：测试戊己，单位与登记不符', '持证人：***，单位与登记不符'],
    ['姓名：测试戊己，接口已存在', '姓名：***，接口已存在'],
    ['姓名：测试戊己，性别与证件不符', '姓名：***，性别与证件不符'],
    ['姓名：测试戊己，证书已存在', '姓名：***，证书已存在'],
    ['持证人：测试戊己，印章与备案不一致', '持证人：***，印章与备案不一致'],
    ['姓名：测试戊己，令牌不存在', '姓名：***，令牌不存在'],
    ['持证人：测试戊己，已存在', '持证人：***，已存在'],
    ['holder: Ceshi Wuji and others', 'holder: *** and others'],
    ['holder: Ceshi Wuji and Status: Active', 'holder: *** and Status: Active'],
  ])('keeps the message after the name in %s', (text, hidden) => {
    expect(hideLabelledNames(text)).toBe(hidden);
  });
});
