/**
 * A name after its label written with JSON's escapes, as a client that escapes all but ASCII sends
 * it (`{"holderName":"\u5f20\u4e09"}`, `姓名：\u5f20\u4e09` in a body logged raw): the labels'
 * pattern reads Han characters, and the escaped name went out whole in a log line, an error's text
 * and a stored reason. Made up, no one's names.
 */
import { describe, expect, it } from 'vitest';
import { safeErrorText } from '../../core/error-text.js';
import { hideLabelledNames } from '../../core/labelled-names.js';
import { logged, stored } from '../logging/labelled-fixture.js';

describe('a name escaped as JSON writes it', () => {
  it.each([
    ['{"holderName":"\\u5f20\\u4e09"}', '{"holderName":"***"}'],
    ['姓名：\\u5f20\\u4e09', '姓名：***'],
    ['{"xm":"\\u674E\\u56DB","dwmc":"\\u67d0\\u516c\\u53f8"}', '{"xm":"***","dwmc":"某公司"}'],
  ])('hides %s', (text, hidden) => {
    expect(hideLabelledNames(text)).toBe(hidden);
    const { field, msg } = logged(text);
    for (const shown of [field, msg, safeErrorText(text), stored(text)]) {
      expect(shown.toLowerCase()).not.toContain('\\u5f20');
      expect(shown.toLowerCase()).not.toContain('\\u674e');
    }
  });

  it.each([
    '{"holderName":"\\u4e0d\\u80fd\\u4e3a\\u7a7a"}',
    '{"dwmc":"\\u67d0\\u516c\\u53f8"}',
    'path C:\\users',
  ])('keeps %s as it is', (text) => {
    expect(hideLabelledNames(text)).toBe(text);
  });
});
