/**
 * A holder's name has no shape to mask, and a log line's free text (a platform's `reason`, a knex
 * warning's `detail`, a message) is masked by shape only: a name written after a label that says
 * it is one (`持证人：张三`, `姓名=张三`, `holder: Zhang San`, `"holderName":"Zhang San"`) went out
 * whole, in a log line and in an error's text. The value after such a label and its `:`, `：` or
 * `=` is hidden now. A label with no sign after it (`持证人张三`) says nothing of where the name
 * ends in Chinese, which parts no words (`持证人信息不完整`), and is left as it is; so are words that
 * only end in a label's letters (`placeholder: Foo`), a number after one (masked by its shape) and
 * a label's own words (`holder: unknown`).
 */
import { describe, expect, it } from 'vitest';
import { safeErrorText } from '../../core/error-text.js';
import { logged } from './labelled-fixture.js';

// Made up: no one's name.
const HAN = '测试戊己';
const PINYIN = 'Ceshi Wuji';

describe('a name after a label saying it is one', () => {
  it.each([
    [`持证人：${HAN}，证件类型：111`, '持证人：***，证件类型：111'],
    [`姓名=${HAN}&type=1`, '姓名=***&type=1'],
    [`持证人姓名: ${HAN} 与登记不符`, '持证人姓名: *** 与登记不符'],
    [`法定代表人：${HAN}·${HAN}。`, '法定代表人：***。'],
    [`holder: ${PINYIN} not found`, 'holder: *** not found'],
    [`holder_name=${PINYIN.toUpperCase()}; type 414`, 'holder_name=***; type 414'],
    [`{"holderName":"${PINYIN}","idType":"414"}`, '{"holderName":"***","idType":"414"}'],
    [`{"xm":"${HAN}"}`, '{"xm":"***"}'],
    [`GET /verify?holderName=Ceshi%20Wuji&type=414`, 'GET /verify?holderName=***&type=414'],
    [`GET /verify?holder=Ceshi+Wuji&type=414`, 'GET /verify?holder=***&type=414'],
  ])('hides it in %s', (text, hidden) => {
    const { field, msg } = logged(text);
    expect(field).toBe(hidden);
    expect(msg).toBe(`refused: ${hidden}`);
    const shown = safeErrorText(text);
    expect(shown).not.toContain('戊己');
    expect(shown).not.toContain('Wuji');
    expect(shown).not.toContain('WUJI');
  });

  it.each([
    '持证人信息不完整',
    '持证人姓名与证件号码不一致',
    'placeholder: Foo',
    'holder: unknown id type',
    'holderIdType: Passport',
    'holder id type 414 needs a passport number',
    'pipeline: Licenses, target: Province',
    'table T_XK, column XM: ORA-01400',
  ])('keeps %s as it is', (text) => {
    const { field, msg } = logged(text);
    expect(field).toBe(text);
    expect(msg).toBe(`refused: ${text}`);
    expect(safeErrorText(text)).toBe(text);
  });
});
