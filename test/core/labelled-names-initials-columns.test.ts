/**
 * Another column's name in pinyin initials after a pinyin column's label: with a Y (`CZR: CZY`,
 * `LXR: YZBM`, `{"lxr":"YHM"}`), or opening with the label's own initials and a vowel after them
 * (`LXR=LXRID`). 74fbfdbf read a word of capitals with no vowel as a column's, Y left out as a
 * vowel, and 06020239 and 7269e58b read more labels: each went out as `***`. A name stays hidden.
 * Made up, no one's names.
 */
import { describe, expect, it } from 'vitest';
import { safeErrorText } from '../../core/error-text.js';
import { hideLabelledNames } from '../../core/labelled-names.js';
import { expectShownWhole } from '../logging/labelled-fixture.js';

describe("a column's name in pinyin initials after a pinyin label", () => {
  it.each([
    'CZR: CZY',
    'JBR: GLY',
    'LXR: YZBM',
    'LXR=LXRYX',
    'column LXR: YHM',
    '{"lxr":"YHM"}',
    'lxrXm: CZY',
    'source s1: key field LXR=LXRID',
    'T_LXR: LXRID',
  ])('keeps %s whole', (text) => {
    expectShownWhole(text);
  });

  it.each([
    ['LXR: YANG LI', 'LXR: ***'],
    ['CZR: Yu Ying', 'CZR: ***'],
    ['{"lxr":"YAN YI"}', '{"lxr":"***"}'],
    ['LXR=LIU XIN', 'LXR=***'],
  ])('hides %s', (text, hidden) => {
    expect(hideLabelledNames(text)).toBe(hidden);
    expect(safeErrorText(text)).toBe(hidden);
  });
});
