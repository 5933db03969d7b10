/**
 * An English word after a name's label that splits into pinyin syllables (`holder: naming`, na-ming;
 * `tuning required`, tu-ning; `dining`), or a kind or an account coded in pinyin (`JBR: XITONG`,
 * `xm: geren`): ed7b0369 read a word of two syllables standing whole or before a message's word
 * as a name, and each went out as `***` in a log line, an error's text and a stored reason. A name
 * stays hidden. Made up, no one's names.
 */
import { describe, expect, it } from 'vitest';
import { safeErrorText } from '../../core/error-text.js';
import { hideLabelledNames } from '../../core/labelled-names.js';
import { expectShownWhole } from '../logging/labelled-fixture.js';

describe('English words and codes that read as pinyin after a label', () => {
  it.each([
    'holder: naming',
    'holder: tuning required',
    'holder: naming rule changed',
    'holder: dining',
    'holder: timing',
    'JBR: XITONG',
    'xm: geren',
    'xm: danwei',
  ])('keeps %s whole', (text) => {
    expectShownWhole(text);
  });

  it.each([
    ['holder: zhangsan', 'holder: ***'],
    ['holder: lining', 'holder: ***'],
    ['xm: li ming', 'xm: ***'],
    ['JBR: XI TONG', 'JBR: ***'],
  ])('hides %s', (text, hidden) => {
    expect(hideLabelledNames(text)).toBe(hidden);
    expect(safeErrorText(text)).toBe(hidden);
  });
});
