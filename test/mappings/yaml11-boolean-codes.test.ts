/**
 * A mapping written as YAML 1.1 (`%YAML 1.1`, the version with merge keys) reads an unquoted `Y`,
 * `N`, `yes`, `no`, `on` or `off` as true or false, where YAML 1.2 reads the text. Legacy tables
 * mark a flag with Y/N (是否有效), and a mapping compares or writes such codes: `equals: N` held for
 * no row (the source's `N` against `false`), so a revocation rule never fired and the license was
 * published valid, while a mapping test fed `row: { SFYX: N }` the same `false` and passed. Such a
 * value is now the text written, as an unquoted `01` is; `true` and `false` stay as YAML reads them.
 */
import { describe, expect, it } from 'vitest';
import { compileMappingText } from '../../mappings/compile.js';
import { parseMappingTestFile, runMappingTests } from '../../mappings/mapping-test.js';

const MAPPING = [
  '%YAML 1.1',
  '---',
  'fields:',
  '  status:',
  '    - { when: { column: SFYX, equals: N }, const: revoked }',
  '    - { when: { column: SFYX, in: [Y, yes] }, const: valid }',
  '    - { const: other }',
  '  surface.flag: { from: SFYX, lookup: { Y: 有效, N: 无效 }, fallback: 未知 }',
  '  surface.mark: { const: Y }',
  '  surface.plain: { const: true }',
  '',
].join('\n');

const mapping = compileMappingText(MAPPING, '/maps/flags.yaml');

function fields(flag: string) {
  const r = mapping.map({ SFYX: flag });
  if (!r.ok) throw new Error(r.reasons.map((x) => x.message).join('; '));
  return { status: r.fields.status, ...r.fields.surface };
}

describe('a YAML 1.1 mapping with Y/N codes', () => {
  it('compares, looks up and writes them as the text written', () => {
    expect(fields('N')).toEqual({ status: 'revoked', flag: '无效', mark: 'Y', plain: true });
    expect(fields('Y')).toMatchObject({ status: 'valid', flag: '有效' });
    expect(fields('yes')).toMatchObject({ status: 'valid', flag: '未知' });
    expect(fields('false')).toMatchObject({ status: 'other', flag: '未知' });
  });

  it('a mapping test file feeds N as the text N', () => {
    const test = [
      '%YAML 1.1',
      '---',
      'mapping: ./flags.yaml',
      'row: { SFYX: N }',
      'cases:',
      '  - name: revoked',
      '    expect: { fields: { status: revoked, surface.mark: Y } }',
      '',
    ].join('\n');
    const [result] = runMappingTests(parseMappingTestFile(test, '/maps/flags.test.yaml'), mapping);
    expect(result?.messages).toEqual([]);
    const source = runMappingTests(
      parseMappingTestFile(test.replace('{ SFYX: N }', '{ SFYX: "false" }'), '/maps/flags.test.yaml'),
      mapping,
    );
    expect(source[0]?.passed).toBe(false);
  });
});
