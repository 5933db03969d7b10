/**
 * A name in brackets right after its label written in pinyin or spaced as a form aligns it
 * (`经办人(Zhang San)`, `经办人(zhang san)`, `经办人(张 三)`): the bracketed pass read Han names
 * parted by a space as two one-character parts and English letters as none, and the name went out
 * whole in a log line, an error's text and a stored reason. Made up, no one's names.
 */
import { describe, expect, it } from 'vitest';
import { hideLabelledNames } from '../../core/labelled-names.js';
import { expectNoneShown } from '../logging/labelled-fixture.js';

describe('a name in pinyin or spaced in brackets after its label', () => {
  it.each([
    ['经办人(Zhang San)', '经办人(***)', ['Zhang', 'San']],
    ['经办人(zhang san)已存在', '经办人(***)已存在', ['zhang', 'san']],
    ['持证人（zhangsan）', '持证人（***）', ['zhangsan']],
    ['经办人(张 三)', '经办人(***)', ['张 三']],
  ])('hides %s', (text, hidden, parts) => {
    expect(hideLabelledNames(text)).toBe(hidden);
    expectNoneShown(text, parts);
  });

  it.each([
    '申请人(Individual)',
    '持证人(Optional)',
    '联系人(see logs)',
    '申请人（个人）',
    '持证人(unit id)',
  ])('keeps %s whole', (text) => {
    expect(hideLabelledNames(text)).toBe(text);
  });
});
