/**
 * A mapping written as YAML 1.1 (`%YAML 1.1`, the version with merge keys) reads an unquoted
 * `2026-01-01` as a timestamp, where YAML 1.2 reads the text. A code table keyed by such a day held
 * the key `Thu Jan 01 2026 00:00:00 GMT+0000 …`, so the source's `2026-01-01` missed it (or silently
 * took the `fallback`); `const: 2026-01-01` refused every row at map time instead of writing the
 * text; `equals: 2026-01-01` was refused as no plain value. Such a value is now the text written,
 * as an unquoted `01` or `N` is.
 */
import { describe, expect, it } from 'vitest';
import { compileMappingText } from '../../mappings/compile.js';
import { parseMappingTestFile, runMappingTests } from '../../mappings/mapping-test.js';
import type { InputValue } from '../../mappings/types.js';

const MAPPING = [
  '%YAML 1.1',
  '---',
  'fields:',
  '  status:',
  '    - { when: { column: QYRQ, equals: 2026-01-01 }, const: revoked }',
  '    - { when: { column: QYRQ, in: [2026-02-01] }, const: suspended }',
  '    - { const: valid }',
  '  surface.batch: { from: QYRQ, lookup: { 2026-01-01: 第一批, 0012: 十二 }, fallback: 其他 }',
  '  surface.since: { const: 2026-01-01 }',
  '  surface.until: { from: ZZRQ, default: 2026-12-31 }',
  '',
].join('\n');

describe('a YAML 1.1 mapping with date-looking codes', () => {
  const mapping = compileMappingText(MAPPING, '/maps/days.yaml');
  const fields = (row: Record<string, InputValue>) => {
    const r = mapping.map(row);
    if (!r.ok) throw new Error(r.reasons.map((x) => x.message).join('; '));
    return { status: r.fields.status, ...r.fields.surface };
  };

  it('compares, looks up and writes them as the text written', () => {
    expect(fields({ QYRQ: '2026-01-01', ZZRQ: null })).toEqual({
      status: 'revoked',
      batch: '第一批',
      since: '2026-01-01',
      until: '2026-12-31',
    });
    expect(fields({ QYRQ: '2026-02-01', ZZRQ: 'x' })).toMatchObject({ status: 'suspended', batch: '其他' });
    expect(fields({ QYRQ: '0012', ZZRQ: 'x' })).toMatchObject({ status: 'valid', batch: '十二' });
  });

  it('a mapping test file feeds and expects them as the text written', () => {
    const test = [
      '%YAML 1.1',
      '---',
      'mapping: ./days.yaml',
      'row: { QYRQ: 2026-01-01, ZZRQ: 2026-06-30 }',
      'cases:',
      '  - name: revoked',
      '    expect: { fields: { status: revoked, surface.since: 2026-01-01, surface.until: 2026-06-30 } }',
      '',
    ].join('\n');
    const [result] = runMappingTests(parseMappingTestFile(test, '/maps/days.test.yaml'), mapping);
    expect(result?.messages).toEqual([]);
    expect(result?.passed).toBe(true);
  });
});
