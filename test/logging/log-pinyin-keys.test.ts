/**
 * A log object whose keys are a legacy table's pinyin columns (`{ XM: '张三' }`, `{ czrxm: … }`,
 * `{ SFZH: … }`, a source row's fields logged as they were read): the keys redacted were English
 * ones only, and the value went out whole, as a name alone has no label or shape to hide it by.
 * The pinyin keys are the labels' own (core/name-labels.ts), one list. Made up, no one's data.
 */
import { describe, expect, it } from 'vitest';
import { lineLogger } from '../support/log-lines.js';

const logged = (fields: Record<string, unknown>): string => {
  const { logger, lines } = lineLogger();
  logger.info(fields, 'row read');
  return lines.join('\n');
};

describe('a pinyin key in a log object', () => {
  it.each([
    ['XM', '张三'],
    ['xm', '李四'],
    ['czrxm', '王五'],
    ['CZR_XM', '王五'],
    ['lxrXm', '赵六'],
    ['FDDBR', '钱七'],
    ['xingming', '孙八'],
    ['SFZH', '11010519491231002X'],
    ['sfzhm', '11010519491231002X'],
  ])('redacts %s', (key, value) => {
    const line = logged({ [key]: value, nested: { line: 1, [key]: value } });
    expect(line).not.toContain(value);
    expect(line).not.toContain(value.slice(-4));
    expect(line).toContain('[redacted]');
  });

  it.each([
    ['DWMC', '某某市场监督管理局'],
    ['xkzh', 'L2024010100012'],
    ['jbrq', '2024-01-01'],
  ])('keeps %s, no person, as it is', (key, value) => {
    expect(logged({ [key]: value })).toContain(value);
  });
});
