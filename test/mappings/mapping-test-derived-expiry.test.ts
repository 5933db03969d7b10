/**
 * A mapping test without `catalog:` runs the mapping alone; with `today:` pinned it still applies
 * derived expiry as the pipeline does (docs/lifecycle.md, "Conditions on today": a license the
 * mapping calls `valid` whose `validTo` is before today is published as `expired`). The mapping
 * alone left such a license `valid`, so the example docs/lifecycle.md gives failed, and a case
 * expecting `valid` passed for a license every run publishes as `expired`.
 */
import { describe, expect, it } from 'vitest';
import { compileMappingText } from '../../mappings/compile.js';
import { parseMappingTestFile, runMappingTests } from '../../mappings/mapping-test.js';

const MAPPING = compileMappingText(
  [
    'fields:',
    '  validTo: { from: YXQZ, transform: [{ date: [yyyyMMdd] }] }',
    '  status: { from: ZT, lookup: { "1": valid, "2": suspended, "0": revoked }, required: true }',
    '',
  ].join('\n'),
  '/maps/food.yaml',
);

/** The outcome of one case expecting `status`, under the test file's head lines. */
function outcome(head: string[], row: string, status: string): string[] {
  const text = [
    'mapping: ./food.yaml',
    ...head,
    'cases:',
    '  - name: one row',
    `    row: ${row}`,
    `    expect: { fields: { status: ${status} } }`,
    '',
  ].join('\n');
  const [result] = runMappingTests(parseMappingTestFile(text, '/maps/food.test.yaml'), MAPPING);
  return result?.passed ? ['pass'] : (result?.messages ?? ['no result']);
}

describe('a mapping test of the mapping alone, today pinned', () => {
  it('publishes a valid license past its date as expired (the docs/lifecycle.md example)', () => {
    expect(outcome(['today: 2026-03-01'], '{ ZT: "1", YXQZ: "20260228" }', 'expired')).toEqual(['pass']);
  });

  it('keeps it valid on its last day, and a stated status whatever the date', () => {
    expect(outcome(['today: 2026-03-01'], '{ ZT: "1", YXQZ: "20260301" }', 'valid')).toEqual(['pass']);
    expect(outcome(['today: 2026-03-01'], '{ ZT: "0", YXQZ: "20200101" }', 'revoked')).toEqual(['pass']);
    expect(outcome(['today: 2026-03-01'], '{ ZT: "2", YXQZ: "20200101" }', 'suspended')).toEqual(['pass']);
    expect(outcome(['today: 2026-03-01'], '{ ZT: "1", YXQZ: "" }', 'valid')).toEqual(['pass']);
  });

  it('derives nothing with expiry: false, nor without today', () => {
    const row = '{ ZT: "1", YXQZ: "20260228" }';
    expect(outcome(['today: 2026-03-01', 'expiry: false'], row, 'valid')).toEqual(['pass']);
    expect(outcome([], row, 'valid')).toEqual(['pass']);
  });
});
