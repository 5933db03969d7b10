// The `number` transform never hands over a different number than the text says: a double holds
// 15–17 significant digits, and 9007199254740993 would silently become 9007199254740992.
import { describe, expect, it } from 'vitest';
import { compileMappingText } from '../../mappings/compile.js';
import { createTransformRegistry } from '../../mappings/transforms.js';
import type { StepOutcome, TransformStep } from '../../mappings/types.js';

const step = createTransformRegistry().get('number')?.compile(undefined) as TransformStep;
const run = (text: string) => {
  const r: StepOutcome = step(text);
  return r.ok ? r.value : r.code;
};

describe('number: exact or refused', () => {
  it('refuses integers past 2^53 instead of rounding them', () => {
    expect(run('9007199254740993')).toBe('LB_MAP_NUMBER');
    expect(run('9007199254740992')).toBe('LB_MAP_NUMBER'); // 9007199254740993 would read the same
    expect(run('123456789012345678')).toBe('LB_MAP_NUMBER');
    expect(run('-9007199254740993')).toBe('LB_MAP_NUMBER');
    expect(run('9007199254740991')).toBe(9007199254740991);
    expect(run('-9007199254740991')).toBe(-9007199254740991);
  });

  it('refuses decimals with more significant digits than a double keeps', () => {
    expect(run('0.12345678901234567890')).toBe('LB_MAP_NUMBER');
    expect(run('1234567890.123456789')).toBe('LB_MAP_NUMBER');
    expect(run('12345678901234567.5')).toBe('LB_MAP_NUMBER');
  });

  it('accepts every decimal that prints back as itself, formatting aside', () => {
    expect(run('0.1')).toBe(0.1);
    expect(run('+3')).toBe(3);
    expect(run('007')).toBe(7);
    expect(run('12.50')).toBe(12.5);
    expect(run('-0.000')).toBe(-0);
    expect(run('0.0000001')).toBe(1e-7);
    expect(run('1234567.891')).toBe(1234567.891);
    expect(run('100000000000000')).toBe(1e14);
  });

  it('quarantines the row through a rule with the number problem', () => {
    const m = compileMappingText(
      'fields:\n  surface.amount: { from: A, transform: [number] }\n',
      '/maps/m.yaml',
    );
    const r = m.map({ A: '9007199254740993' });
    expect(r.ok).toBe(false);
    expect(r.ok ? [] : r.reasons.map((x) => [x.code, x.path])).toEqual([['LB_MAP_NUMBER', 'surface.amount']]);
  });
});
