/**
 * Names a form's layout writes apart: 姓名 with a space inside (`姓 名：测试戊己`, a sheet's column
 * aligned), a two-character name padded to three with a full-width space (`姓名：测试　戊`), and a list
 * of names after `|`, `＋` or a space before `，` (`姓名：测试戊己|庚辛`). Each went out whole, in a log
 * line, an error's text and a stored reason. Made up, no one's names.
 */
import { describe, expect, it } from 'vitest';
import { hideLabelledNames } from '../../core/labelled-names.js';
import { expectNoneShown } from '../logging/labelled-fixture.js';

describe('a name written apart', () => {
  it.each([
    ['姓 名：测试戊己', '姓 名：***', ['戊己']],
    ['姓　名：测试戊己', '姓　名：***', ['戊己']],
    ['姓名：测　戊', '姓名：***', ['戊']],
    ['姓名：测　戊，证件号码有误', '姓名：***，证件号码有误', ['戊']],
    ['姓名：测试戊己|庚辛', '姓名：***|***', ['戊己', '庚辛']],
    ['姓名：测试戊己＋庚辛', '姓名：***＋***', ['戊己', '庚辛']],
    ['姓名：测试戊己 ，庚辛', '姓名：*** ，***', ['戊己', '庚辛']],
  ])('hides %s', (text, hidden, names) => {
    expect(hideLabelledNames(text)).toBe(hidden);
    expectNoneShown(text, names);
  });

  it.each(['姓 名：不能为空', '姓名：测试戊己 ，证件号码有误', '姓名：测试戊己　已存在'])(
    'keeps the message in %s',
    (text) => {
      expect(hideLabelledNames(text)).toBe(text.replace('测试戊己', '***'));
    },
  );
});
