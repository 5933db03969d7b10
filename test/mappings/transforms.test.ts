import { describe, expect, it } from 'vitest';
import { compileMappingText } from '../../mappings/compile.js';
import { createTransformRegistry, textStep } from '../../mappings/transforms.js';
import type { InputValue } from '../../mappings/types.js';

/** Maps one value through `transform` into surface.out. */
function run(transform: string, value: InputValue, extra = ''): unknown {
  const m = compileMappingText(
    `fields:\n  surface.out: { from: V, transform: ${transform}${extra} }\n`,
    't.yaml',
  );
  const r = m.map({ V: value });
  return r.ok ? r.fields.surface.out : r.reasons.map((x) => x.code);
}

describe('transforms', () => {
  it('trim, upper, lower', () => {
    expect(run('[trim]', '  ab c \u3000')).toBe('ab c');
    expect(run('[upper]', 'jy12x')).toBe('JY12X');
    expect(run('[lower]', 'JY')).toBe('jy');
    expect(run('[trim, upper]', 370211)).toBe('370211');
    expect(run('[trim]', null)).toBeNull();
  });

  it('halfWidth turns full-width ASCII and the ideographic space into half-width', () => {
    expect(run('[halfWidth]', 'ＪＹ２３７\u3000ａ（１）')).toBe('JY237 a(1)');
    expect(run('[halfWidth]', '青岛')).toBe('青岛');
  });

  it('date parses the listed formats to ISO, first matching format decides', () => {
    const dates = '[{ date: [yyyyMMdd, yyyy-MM-dd, yyyy/M/d, yyyy年M月d日] }]';
    expect(run(dates, '20210315')).toBe('2021-03-15');
    expect(run(dates, '2021-03-15')).toBe('2021-03-15');
    expect(run(dates, '2021/3/5')).toBe('2021-03-05');
    expect(run(dates, '2021年3月5日')).toBe('2021-03-05');
    expect(run(dates, 20210315)).toBe('2021-03-15');
    expect(run(dates, new Date(Date.UTC(2021, 2, 15)))).toBe('2021-03-15');
    expect(run(dates, '2024-02-29')).toBe('2024-02-29');
  });

  it('date maps zero dates and empty text to null', () => {
    const dates = '[{ date: [yyyyMMdd, yyyy-MM-dd] }]';
    for (const zero of ['00000000', '0000-00-00', '0000-00-00 00:00:00', '', '   ', null]) {
      expect(run(dates, zero)).toBeNull();
    }
  });

  it('date fails on impossible or unmatched dates', () => {
    const dates = '[{ date: [yyyyMMdd, yyyy-MM-dd] }]';
    expect(run(dates, '20230230')).toEqual(['LB_MAP_DATE']);
    expect(run(dates, '00000115')).toEqual(['LB_MAP_DATE']);
    expect(run(dates, '2023-13-01')).toEqual(['LB_MAP_DATE']);
    expect(run(dates, '15/03/2021')).toEqual(['LB_MAP_DATE']);
    expect(run(dates, true)).toEqual(['LB_MAP_TYPE']);
  });

  it('split trims items and drops empty ones', () => {
    expect(run('[{ split: "；" }]', '预包装食品销售；散装食品销售； ；')).toEqual([
      '预包装食品销售',
      '散装食品销售',
    ]);
    expect(run('[{ split: "；" }, upper]', 'a；b')).toEqual(['A', 'B']);
  });

  it('pad pads at the start by default, or at the end', () => {
    expect(run('[{ pad: { length: 6, char: "0" } }]', 211)).toBe('000211');
    expect(run('[{ pad: { length: 4, char: "x", side: end } }]', 'ab')).toBe('abxx');
    expect(run('[{ pad: { length: 2, char: "0" } }]', 'abc')).toBe('abc');
  });

  it('number reads decimal text', () => {
    expect(run('[number]', ' 12.50 ')).toBe(12.5);
    expect(run('[number]', 7)).toBe(7);
    expect(run('[number]', '')).toBeNull();
    expect(run('[number]', '1e3')).toEqual(['LB_MAP_NUMBER']);
    expect(run('[number]', '12,5')).toEqual(['LB_MAP_NUMBER']);
  });

  it('replace substitutes every match', () => {
    expect(run('[{ replace: ["[;；]+", "；"] }]', 'a;b；；c')).toBe('a；b；c');
    expect(run('[{ replace: ["^JY", "SP"] }]', 'JY123JY')).toBe('SP123JY');
  });

  it('lookup, fallback and default', () => {
    const lookup = '[trim], lookup: { "1": valid, "0": revoked }';
    expect(run(lookup, ' 1 ')).toBe('valid');
    expect(run(lookup, 0)).toBe('revoked');
    expect(run(lookup, '9')).toEqual(['LB_MAP_LOOKUP']);
    expect(run(lookup, '9', ', fallback: other')).toBe('other');
    expect(run(lookup, ' ', ', default: valid')).toBe('valid');
    expect(run(lookup, null, ', default: valid')).toBe('valid');
    expect(run(lookup, null)).toBeNull();
    expect(run('[]', null, ', required: true')).toEqual(['LB_MAP_REQUIRED']);
  });

  it('a registry takes new transforms without touching the built-ins', () => {
    const registry = createTransformRegistry();
    registry.register('reverse', {
      argument: 'none',
      description: 'reverse text',
      compile: () => textStep((s) => ({ ok: true, value: [...s].reverse().join('') })),
    });
    const m = compileMappingText('fields:\n  number: { from: A, transform: [reverse] }\n', 'r.yaml', {
      transforms: registry,
    });
    expect(m.map({ A: 'abc' })).toMatchObject({ ok: true, fields: { number: 'cba' } });
    expect(() => registry.register('trim', registry.get('upper')!)).toThrow(RangeError);
    expect(() =>
      compileMappingText('fields:\n  number: { from: A, transform: [reverse] }\n', 'r.yaml'),
    ).toThrow();
  });
});
