/**
 * A source number past ±(2^53 − 1) is refused, not passed on: a double cannot hold its digits,
 * so `number` would hand over another number and `trim` or `pad` would write invented zeros
 * (String(12345678901234567891) is "12345678901234567000"). Connectors give BIGINT and DECIMAL
 * as text; the guard is for a driver or file that does not.
 */
import { describe, expect, it } from 'vitest';
import { compileMappingText } from '../../mappings/compile.js';
import { createTransformRegistry } from '../../mappings/transforms.js';
import type { InputValue, TransformStep } from '../../mappings/types.js';

const numberStep = createTransformRegistry().get('number')?.compile(undefined) as TransformStep;
const UNSAFE = 2 ** 53 + 2;
// An 18-digit resident ID number a driver handed over as a number: 110105194912310020.
const ID_AS_NUMBER = 110105194912310020;

function map(fields: string, row: Record<string, InputValue>) {
  const r = compileMappingText(`fields:\n${fields}`, '/maps/m.yaml').map(row);
  return r.ok ? { ok: true as const, fields: r.fields } : { ok: false as const, reasons: r.reasons };
}

describe('unsafe integers from a source', () => {
  it('the number transform refuses an unsafe integer number value', () => {
    const r = numberStep(UNSAFE);
    expect(r.ok ? r.value : r.code).toBe('LB_MAP_NUMBER');
    expect(numberStep(-UNSAFE).ok).toBe(false);
    expect(numberStep(1e21).ok).toBe(false);
  });

  it('safe integers and fractions pass as before', () => {
    for (const n of [0, 7, -3, 2.5, 1e-7, Number.MAX_SAFE_INTEGER, Number.MIN_SAFE_INTEGER, 1234567.891]) {
      const r = numberStep(n);
      expect(r.ok ? r.value : r.code).toBe(n);
    }
    const r = map('  surface.amount: { from: A, transform: [number] }\n', { A: Number.MAX_SAFE_INTEGER });
    expect(r.ok ? r.fields.surface.amount : r.reasons).toBe(Number.MAX_SAFE_INTEGER);
  });

  it('a rule quarantines the row naming the field, through number, a text transform or none', () => {
    for (const transform of ['[number]', '[trim]', '[{ pad: { length: 20, char: "0" } }]', '[]']) {
      const r = map(`  surface.amount: { from: A, transform: ${transform} }\n`, { A: UNSAFE });
      expect(r.ok ? r.fields : r.reasons.map((x) => [x.code, x.path, x.column]), transform).toEqual([
        ['LB_MAP_NUMBER', 'surface.amount', 'A'],
      ]);
    }
  });

  it('the reason for a personal field holds neither the number nor its digits in clear', () => {
    const r = map(
      '  holder.name: { const: 张三 }\n  holder.idType: { const: "111" }\n  holder.id: { from: SFZH, transform: [trim] }\n',
      { SFZH: ID_AS_NUMBER },
    );
    expect(r.ok).toBe(false);
    const reasons = r.ok ? [] : r.reasons;
    expect(reasons.map((x) => [x.code, x.path])).toEqual([['LB_MAP_NUMBER', 'holder.id']]);
    const text = JSON.stringify(reasons);
    expect(text).not.toContain('19491231');
    expect(text).not.toContain(String(ID_AS_NUMBER));
  });
});
