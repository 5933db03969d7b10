/**
 * A pinyin label after a table's prefix, `_` or a digit (`T_LXR: 李四`, `ZB_SQR=王五`, `1LXR=李四`):
 * b8f09eb1 hid the name after it, as the labels' pattern reads such a label; 02f521e5 looked for a
 * pinyin label first as a whole word (`\b`), which `_` and a digit are part of, so the name went
 * out whole in a log line, an error's text and a stored reason. Made up, no one's names.
 */
import { describe, expect, it } from 'vitest';
import { safeErrorText } from '../../core/error-text.js';
import { hideLabelledNames } from '../../core/labelled-names.js';
import { logged, stored } from '../logging/labelled-fixture.js';

describe('a pinyin label after a prefix', () => {
  it.each([
    ['T_LXR: 李四', 'T_LXR: ***', '李四'],
    ['ZB_SQR=王五', 'ZB_SQR=***', '王五'],
    ['row 3 T_FDDBR=张三 rejected', 'row 3 T_FDDBR=*** rejected', '张三'],
    ['__LXR=李四', '__LXR=***', '李四'],
    ['1LXR=李四', '1LXR=***', '李四'],
  ])('hides %s', (text, hidden, name) => {
    expect(hideLabelledNames(text)).toBe(hidden);
    const { field, msg } = logged(text);
    for (const shown of [field, msg, safeErrorText(text), stored(text)]) expect(shown).not.toContain(name);
  });

  it.each(['SLXR: 李四 x', 'CZRA=张三'])('keeps %s, no label, as it is', (text) => {
    expect(hideLabelledNames(text)).toBe(text);
  });
});
