/**
 * A name in an XML element its label names, written as XML allows besides `<XM>张三</XM>`
 * (b8f09eb1): in CDATA, after an attribute or a space in the opening tag, padded by spaces, or
 * escaped into another document's text (`&lt;XM&gt;张三&lt;/XM&gt;`, as a platform's answer
 * quotes the request). Each went out whole in a log line, an error's text and a stored reason.
 * Made up, no one's names.
 */
import { describe, expect, it } from 'vitest';
import { safeErrorText } from '../../core/error-text.js';
import { hideLabelledNames } from '../../core/labelled-names.js';
import { logged, stored } from '../logging/labelled-fixture.js';

describe('a name in an XML element, as XML writes it', () => {
  it.each([
    ['<XM><![CDATA[张三]]></XM>', '<XM><![CDATA[***]]></XM>'],
    ['<XM type="string">张三</XM>', '<XM type="string">***</XM>'],
    ['<XM >张三</XM>', '<XM >***</XM>'],
    ['<XM> 张三 </XM>', '<XM> *** </XM>'],
    ['&lt;XM&gt;张三&lt;/XM&gt;', '&lt;XM&gt;***&lt;/XM&gt;'],
    ['<holderName xml:lang="zh">Zhang San</holderName>', '<holderName xml:lang="zh">***</holderName>'],
  ])('hides %s', (text, hidden) => {
    expect(hideLabelledNames(text)).toBe(hidden);
    const { field, msg } = logged(text);
    for (const shown of [field, msg, safeErrorText(text), stored(text)]) {
      expect(shown).not.toContain('张三');
      expect(shown).not.toContain('Zhang');
    }
  });

  it.each(['<XM type="string">不能为空</XM>', '<DWMC type="string">某某公司</DWMC>', '</XM> 张三'])(
    'keeps %s whole',
    (text) => {
      expect(hideLabelledNames(text)).toBe(text);
    },
  );
});
