/**
 * A name in an XML element its label names, as a legacy system's export or a platform's XML answer
 * holds it (`<XM>张三</XM>`, `<姓名>张三</姓名>`, `<holderName>zhang san</holderName>`), or after `=>`
 * (`XM => 张三`), and a second name in lower case listed after the first (`holder: zhang san, li
 * si`): each went out whole in a log line, an error's text and a stored reason. Hidden now; other
 * elements, and a message in lower case after a name, stay. Made up, no one's names.
 */
import { describe, expect, it } from 'vitest';
import { hideLabelledNames } from '../../core/labelled-names.js';
import { expectNoneShown, logged } from '../logging/labelled-fixture.js';

describe('a name in an XML element or after =>, and a lower-case list', () => {
  it.each([
    ['<XM>张三</XM>', '<XM>***</XM>', ['张三']],
    [
      '<row><姓名>张三</姓名><CZRXM>李四</CZRXM></row>',
      '<row><姓名>***</姓名><CZRXM>***</CZRXM></row>',
      ['张三', '李四'],
    ],
    ['<holderName>zhang san</holderName>', '<holderName>***</holderName>', ['zhang']],
    ['XM => 张三', 'XM => ***', ['张三']],
    ['holder: zhang san, li si', 'holder: ***, ***', ['zhang', 'li si']],
    ['holder: Zhang San, li si', 'holder: ***, ***', ['Zhang', 'li si']],
  ])('hides %s', (text, hidden, names) => {
    expect(hideLabelledNames(text)).toBe(hidden);
    expectNoneShown(text, names);
  });

  it.each([
    '<DWMC>某某公司</DWMC>',
    '<XM>不能为空</XM>',
    '</XM>',
    'holder: ***, see logs',
    '{"holder":"***","idType":"passport"}',
    'holder: ***, page: 2',
  ])('keeps %s whole', (text) => {
    expect(hideLabelledNames(text)).toBe(text);
    expect(logged(text).field).toBe(text);
  });
});
