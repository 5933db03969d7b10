/**
 * A constraint named after a pinyin column, quoted by PostgreSQL's message in Chinese
 * (`重复键违反唯一约束"uk_lxr" 详细：…`): the quote closing the constraint's name was read as a
 * quoted label's, and the space before Han characters as its sign, so the words after it were
 * hidden as a name (`"uk_lxr" ***：…`). A quote after a label is a key's only when one opens the
 * label too or a `:` or `=` follows (`{"T_LXR":"李四"}`). Made up, no one's names.
 */
import { describe, expect, it } from 'vitest';
import { hideLabelledNames } from '../../core/labelled-names.js';
import { expectShownWhole } from '../logging/labelled-fixture.js';

describe('a constraint named after a pinyin column', () => {
  it.each([
    '错误: 重复键违反唯一约束"uk_lxr" 详细：键值已存在',
    'ERROR: duplicate key value violates unique constraint "uk_lxr" 详细',
    "约束'pk_czrxm' 违反",
  ])('keeps %s whole', (text) => {
    expectShownWhole(text);
  });

  it.each([
    ['{"T_LXR":"李四"}', '{"T_LXR":"***"}'],
    ['"lxr" 张三', '"lxr" ***'],
    ["'xm': '张三'", "'xm': '***'"],
    ['T_LXR" = 李四', 'T_LXR" = ***'],
  ])('hides %s', (text, hidden) => {
    expect(hideLabelledNames(text)).toBe(hidden);
  });
});
