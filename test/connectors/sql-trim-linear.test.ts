/**
 * The CHAR padding a SQL source's `trim` takes off a value (values.ts `normaliseValue`): spaces
 * at its end, found by walking in from the end. It was taken off by `/ +$/`, which is tried at
 * every position of a run of spaces in the middle of the value and scans each time to the run's
 * end: time quadratic in the run, ~10 s for `a`, 80,000 spaces, `b` — a legacy memo or
 * fixed-width text column holding such a run stalled the read of every page it is on, with no
 * statement timeout to end it. The run below (1,000,000 spaces) took about half an hour so; the old pattern is
 * kept here as the oracle for what is taken off.
 */
import { describe, expect, it } from 'vitest';
import { normaliseValue } from '../../connectors/sql/values.js';

const oldTrim = (v: string) => v.replace(/ +$/, '');

const TABLE = [
  '',
  ' ',
  '   ',
  'x',
  ' x',
  'x ',
  '  x  ',
  'x     x',
  'JY001   ',
  '甲 乙  ',
  'x\t ',
  'x \t',
  'x\u3000',
  'x \u3000 ',
  'x\u00a0 ',
  'x\n ',
  '\0 ',
  ' 😀 ',
  `x${' '.repeat(1000)}x${' '.repeat(3)}`,
];

describe('trim of a SQL source value', () => {
  it.each(TABLE)('takes off what the old pattern took off: %j', (value) => {
    expect(normaliseValue(value, true)).toBe(oldTrim(value));
    expect(normaliseValue(value, false)).toBe(value);
  });

  it('a long run of spaces in the middle of a value is kept, the padding after it taken off', () => {
    const run = ' '.repeat(1_000_000);
    expect(normaliseValue(`a${run}b   `, true)).toBe(`a${run}b`);
    expect(normaliseValue(`a${run}`, true)).toBe('a');
  });
});
