/**
 * A code in brackets right after a label: a system account (`经办人(api)`, `经办人(xitong)`,
 * `经办人(zidong)`) or a holder's kind in pinyin (`持证人(geren)`, `(danwei)`, `(faren)`,
 * `申请人(qiye)`). 06b977ce hid the inside whole when each of its words read as pinyin, and the
 * codes went out as `(***)` in a log line, an error's text and a stored reason. A name stays hidden.
 * Made up, no one's names.
 */
import { describe, expect, it } from 'vitest';
import { safeErrorText } from '../../core/error-text.js';
import { hideLabelledNames } from '../../core/labelled-names.js';
import { expectShownWhole } from '../logging/labelled-fixture.js';

describe('a code in brackets after a label', () => {
  it.each([
    '经办人(api)',
    '经办人(xitong)',
    '经办人(zidong)',
    '持证人(geren)',
    '持证人(danwei)',
    '持证人(faren)',
    '申请人(qiye)',
    '经办人(system)已处理',
  ])('keeps %s whole', (text) => {
    expectShownWhole(text);
  });

  it.each([
    ['经办人(zhangsan)', '经办人(***)'],
    ['经办人(Zhang San)', '经办人(***)'],
    ['持证人（li si）已存在', '持证人（***）已存在'],
  ])('hides %s', (text, hidden) => {
    expect(hideLabelledNames(text)).toBe(hidden);
    expect(safeErrorText(text)).toBe(hidden);
  });
});
