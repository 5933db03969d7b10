/**
 * NUL padding: a CHAR or BINARY(n) column some legacy apps fill with U+0000 instead of spaces
 * (SQL Server char written by C programs, MySQL BINARY(n) read as text). `trim` first in a rule's
 * transforms removes it at the end, as it removes space padding; earlier releases refused every
 * such row LB_MAP_CONTROL_CHAR. A NUL anywhere else (inside, at the start, or in a rule without
 * `trim` first) is still refused, the reason naming the field and the rule's file:line, never the
 * value's NUL as padding. Conditions compare such a value as trimmed text too.
 */
import { describe, expect, it } from 'vitest';
import { compileMappingText } from '../../mappings/compile.js';

const mapping = compileMappingText(
  [
    'fields:',
    '  number: { from: XKZBH, transform: [trim, upper], required: true }',
    '  surface.code: { from: DM }',
    '  surface.name: { from: MC, transform: [{ replace: ["^", "x"] }, trim] }',
    '  status:',
    '    - { when: { column: ZT, equals: "01" }, const: valid }',
    '    - { when: { column: ZT, empty: true }, const: other }',
    '    - { const: revoked }',
  ].join('\n'),
  '/maps/nul.yaml',
);

const row = (over: Record<string, string | null>) => ({
  XKZBH: 'jy1',
  DM: null,
  MC: null,
  ZT: '01',
  ...over,
});

describe('NUL padding at the end of a value', () => {
  it.each([
    ['NULs', 'jy123\u0000\u0000\u0000'],
    ['spaces then NULs', 'jy123  \u0000\u0000'],
    ['NULs then spaces', ' jy123\u0000\u0000  '],
  ])('%s: trim removes them', (_name, value) => {
    const out = mapping.map(row({ XKZBH: value }));
    expect(out.ok && out.fields.number).toBe('JY123');
  });

  it('a value of NULs alone is empty', () => {
    const out = mapping.map(row({ XKZBH: '\u0000\u0000\u0000\u0000' }));
    expect(out.ok ? [] : out.reasons.map((r) => [r.code, r.path])).toEqual([['LB_MAP_REQUIRED', 'number']]);
  });

  it('a condition compares the code without them', () => {
    const held = mapping.map(row({ ZT: '01\u0000\u0000' }));
    expect(held.ok && held.fields.status).toBe('valid');
    const blank = mapping.map(row({ ZT: '\u0000\u0000' }));
    expect(blank.ok && blank.fields.status).toBe('other');
  });
});

const TRIM_HINT = "NUL padding at its end: put `trim` first in the rule's transforms";

describe('a NUL that is not padding a trim removes', () => {
  it.each([
    [
      'inside the value',
      { XKZBH: 'jy\u0000123\u0000' },
      'number',
      '/maps/nul.yaml:2',
      'U+0000 at character 3)',
    ],
    [
      'at its start, after spaces',
      { XKZBH: '  \u0000jy123' },
      'number',
      '/maps/nul.yaml:2',
      'U+0000 at character 3)',
    ],
    ['at the end, in a rule without trim', { DM: '01\u0000' }, 'surface.code', '/maps/nul.yaml:3', TRIM_HINT],
    ['at the end, trim not first', { MC: 'ab\u0000' }, 'surface.name', '/maps/nul.yaml:4', TRIM_HINT],
  ])('%s: refused, naming the field and the rule', (_name, over, path, location, tail) => {
    const out = mapping.map(row(over));
    expect(out.ok).toBe(false);
    if (out.ok) return;
    expect(out.reasons).toHaveLength(1);
    expect(out.reasons[0]).toMatchObject({ code: 'LB_MAP_CONTROL_CHAR', path, location });
    expect(out.reasons[0]?.message).toContain(`mapping: ${path}: `);
    expect(out.reasons[0]?.message).toContain('U+0000');
    expect(out.reasons[0]?.message.endsWith(tail)).toBe(true);
  });
});
