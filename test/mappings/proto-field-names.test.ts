/**
 * Field names that are also names of Object.prototype's members (`__proto__`, `constructor`):
 * a mapping test row's column named `__proto__` is a column like any other, not dropped (it was
 * assigned to a plain object, where `__proto__` sets the prototype: a text value vanished, a map
 * became the row's prototype), and no such name reaches Object.prototype.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { parseYamlSource } from '../../catalog/yaml-source.js';
import { writtenAt } from '../../mappings/as-written.js';
import { compileMappingText } from '../../mappings/compile.js';
import { parseMappingTestFile, runMappingTests } from '../../mappings/mapping-test.js';

afterEach(() => {
  expect(({} as Record<string, unknown>).polluted).toBeUndefined();
});

const MAPPING = `fields:
  surface.a: { from: __proto__ }
  surface.b: { from: constructor }
  surface.c: { template: "{__proto__}-{constructor}" }
`;

describe('__proto__ and constructor as column names', () => {
  it('a mapping test row holds them as columns, in the base row and in a case', () => {
    const spec = parseMappingTestFile(
      `row: { __proto__: "01", constructor: x }
cases:
  - name: base row
    expect: { fields: { surface.a: "01", surface.b: x, surface.c: 01-x } }
  - name: case row
    row: { __proto__: "02" }
    expect: { fields: { surface.a: "02", surface.c: 02-x } }
`,
      '/maps/proto.test.yaml',
    );
    expect(Object.keys(spec.cases[0]?.values ?? {})).toEqual(['__proto__', 'constructor']);
    expect(Object.getPrototypeOf(spec.cases[1]?.values)).toBe(Object.prototype);
    const results = runMappingTests(spec, compileMappingText(MAPPING, '/maps/proto.yaml'));
    expect(results.map((r) => r.messages)).toEqual([[], []]);
  });

  it('a map under __proto__ is a value, never the prototype', () => {
    const text = `row: { A: "1", __proto__: { polluted: 1 } }
cases:
  - { name: a, expect: { fields: {} } }
`;
    // Not a plain value nor { bytes }: refused at its line, as any such column is.
    expect(() => parseMappingTestFile(text, '/maps/proto.test.yaml')).toThrow(
      /proto\.test\.yaml:1:\d+.*expected a plain value/s,
    );
  });

  it('writtenAt keeps a __proto__ key as an own key', () => {
    const src = parseYamlSource('v: { __proto__: { polluted: 1 }, b: 01 }\n', '/maps/w.yaml');
    const parsed = (src.doc.toJS() as { v: unknown }).v;
    const out = writtenAt(src, ['v'], parsed) as Record<string, unknown>;
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
    expect(Object.keys(out)).toEqual(['__proto__', 'b']);
    expect(out.b).toBe('01');
    expect(Object.getOwnPropertyDescriptor(out, '__proto__')?.value).toEqual({ polluted: 1 });
  });
});
