/**
 * A number read into a template is checked as a number read with `from:` is: an integer past
 * ±(2^53 − 1) has already lost its last digits (a BIGINT or an 18-digit number a driver handed
 * over as a number), and NaN or Infinity is no value. The template wrote their text into the
 * field (`110105194912310020号`, `Infinity号`) where `from:` quarantined the row.
 */
import { describe, expect, it } from 'vitest';
import { compileMappingText } from '../../mappings/compile.js';

const mapping = () => compileMappingText('fields:\n  surface.a: { template: "{JYCS}{N}号" }\n', 'm.yaml');

describe('numbers in a template', () => {
  for (const [n, code] of [
    [Number('110105194912310023'), 'LB_MAP_NUMBER'],
    [-1e21, 'LB_MAP_NUMBER'],
    [Number.POSITIVE_INFINITY, 'LB_MAP_TYPE'],
    [Number.NaN, 'LB_MAP_TYPE'],
  ] as const) {
    it(`${n} is ${code}, naming the field, the column and the rule's line, not the value`, () => {
      const r = mapping().map({ JYCS: '海滨路', N: n });
      expect(r.ok).toBe(false);
      if (r.ok) return;
      expect(r.reasons).toHaveLength(1);
      const [reason] = r.reasons;
      expect(reason).toMatchObject({ code, path: 'surface.a', column: 'N', location: 'm.yaml:2' });
      expect(reason?.value).toBeUndefined();
      expect(reason?.message).not.toContain('1101051949');
    });
  }

  it('a safe number is its decimal text', () => {
    const r = mapping().map({ JYCS: '海滨路', N: 9007199254740991 });
    expect(r.ok && r.fields.surface).toEqual({ a: '海滨路9007199254740991号' });
    const small = mapping().map({ JYCS: '海滨路', N: 12.5 });
    expect(small.ok && small.fields.surface).toEqual({ a: '海滨路12.5号' });
  });
});
