/**
 * A mapping test compares a field as the license carries it: the `number` transform reads `-0.00`
 * (an amount rounded to zero in a legacy system) as the number -0, which every license text
 * writes as 0 (JSON, RFC 8785, the content hash), and a test file can only expect 0 (YAML's `-0`
 * is the text written). The comparison told -0 from 0 (Object.is) and failed the case with
 * "expected 0, got 0".
 */
import { describe, expect, it } from 'vitest';
import { jcs } from '../../catalog/canonical.js';
import { compileMappingText } from '../../mappings/compile.js';
import { parseMappingTestFile, runMappingTests } from '../../mappings/mapping-test.js';

const mapping = compileMappingText(
  'fields:\n  surface.amount: { from: JE, transform: [number] }\n  surface.fees: { const: [1.5, 0] }\n',
  '/maps/fees.yaml',
);

describe('mapping tests compare numbers as the license writes them', () => {
  it('an amount of -0.00 passes a case expecting 0', () => {
    const out = mapping.map({ JE: '-0.00' });
    expect(out.ok && jcs(out.fields.surface)).toBe('{"amount":0,"fees":[1.5,0]}');
    const spec = parseMappingTestFile(
      'cases:\n  - { name: zero, row: { JE: "-0.00" }, expect: { fields: { surface.amount: 0, surface.fees: [1.5, 0] } } }\n',
      '/maps/fees.test.yaml',
    );
    expect(runMappingTests(spec, mapping)).toEqual([{ name: 'zero', line: 2, passed: true, messages: [] }]);
  });

  it('other numbers still differ', () => {
    const spec = parseMappingTestFile(
      'cases:\n  - { name: one, row: { JE: "-1" }, expect: { fields: { surface.amount: 1, surface.fees: [1.5, "0"] } } }\n',
      '/maps/fees.test.yaml',
    );
    expect(runMappingTests(spec, mapping)[0]?.messages).toEqual([
      'surface.amount: expected 1, got -1',
      'surface.fees: expected [1.5,"0"], got [1.5,0]',
    ]);
  });
});
