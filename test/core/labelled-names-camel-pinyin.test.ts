/**
 * A pinyin label written in camelCase or capitalised, as an API's field or an ORM's property names
 * a legacy column (`czrXm=张三`, `lxrXm: 李四`, `{"frdbXm":"张三"}`, `{"Lxr":"李四"}`): the labels
 * were read in capitals or in lower case only (fa7060f9), and the name went out whole in a log
 * line. Made up, no one's names.
 */
import { describe, expect, it } from 'vitest';
import { safeErrorText } from '../../core/error-text.js';
import { hideLabelledNames } from '../../core/labelled-names.js';
import { logged, stored } from '../logging/labelled-fixture.js';

describe('a pinyin label in camelCase', () => {
  it.each([
    ['czrXm=张三', 'czrXm=***', '张三'],
    ['frXm=张三', 'frXm=***', '张三'],
    ['lxrXm: 李四', 'lxrXm: ***', '李四'],
    ['CzrXm: 李四', 'CzrXm: ***', '李四'],
    ['{"frdbXm":"张三"}', '{"frdbXm":"***"}', '张三'],
    ['{"Lxr":"李四"}', '{"Lxr":"***"}', '李四'],
    ['czr_xm=张三', 'czr_xm=***', '张三'],
    ['Xingming: 王五', 'Xingming: ***', '王五'],
  ])('hides %s', (text, hidden, name) => {
    expect(hideLabelledNames(text)).toBe(hidden);
    const { field, msg } = logged(text);
    for (const shown of [field, msg, safeErrorText(text), stored(text)]) expect(shown).not.toContain(name);
  });

  it.each(['Fr: 张三', 'Hz: 50', 'Str: 张三', 'LxrDh: 13800'])(
    'keeps %s, no name label, as it is',
    (text) => {
      expect(hideLabelledNames(text)).toBe(text);
    },
  );
});
