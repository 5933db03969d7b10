/**
 * A list item written as a decimal with more digits than a number holds (`1.0000000000000001`,
 * `0.12345678901234567890`): a JSON column keeps such a number as the database wrote it
 * (connectors/sql/json-text.ts), and `list` read it with JSON.parse into another number
 * (`1`, `0.12345678901234568`), which the license then carried without a word. The `number`
 * transform refuses the same text in a column (LB_MAP_NUMBER); an item is refused alike.
 */
import { describe, expect, it } from 'vitest';
import { compileMappingText } from '../../mappings/compile.js';

const mapping = compileMappingText(
  'fields:\n  surface.amounts[]: { from: JE, transform: [list] }\n',
  '/maps/m.yaml',
);
const read = (text: string) => {
  const r = mapping.map({ JE: text });
  return r.ok ? (r.fields.surface as { amounts?: unknown }).amounts : r.reasons;
};

describe('list items written as decimals', () => {
  it.each([
    ['[1.0000000000000001]', 1],
    ['["甲",0.12345678901234567890]', 2],
    ['[1.5, 123456789012345678.5]', 2],
    ['[-0.30000000000000000001,null]', 1],
  ])('%s is refused, naming the item, never the value', (text, item) => {
    const reasons = read(text);
    expect(reasons).toEqual([
      expect.objectContaining({
        code: 'LB_MAP_NUMBER',
        path: 'surface.amounts[]',
        column: 'JE',
        location: '/maps/m.yaml:2',
      }),
    ]);
    const [reason] = reasons as { message: string }[];
    expect(reason?.message).toContain(`item ${item}: `);
    expect(reason?.message).not.toMatch(/[0-9]{6}/);
  });

  it('decimals a number holds map as before: trailing zeros, exponents, an underflow to 0', () => {
    expect(read('[1.10, 2.5e3, -0.000001, 12345678901234.56, 1e-400, "1.0000000000000001"]')).toEqual([
      1.1,
      2500,
      -0.000001,
      12345678901234.56,
      0,
      '1.0000000000000001',
    ]);
    expect(read(' [ 0.1 , "a\\"1.0000000000000001" ] ')).toEqual([0.1, 'a"1.0000000000000001']);
  });

  it('a decimal whose shortest text has 17 digits is the number it names, not too many digits', () => {
    expect(read('[0.30000000000000004, 123456789.12345679, 1.0000000000000002]')).toEqual([
      0.30000000000000004, 123456789.12345679, 1.0000000000000002,
    ]);
  });
});
