/**
 * A `when` compares codes as written (docs/mapping-language.md, `when`): a code typed full-width
 * (０１) does not equal 01, and the row takes the next rule without a reason. A mapping test whose
 * case expected the rule for 01 said only that the field differed. It now also names the field and
 * the rule whose `when` holds for the row's codes in half-width form, never the value.
 */
import { describe, expect, it } from 'vitest';
import { compileMappingText } from '../../mappings/compile.js';
import { parseMappingTestFile, runMappingTests } from '../../mappings/mapping-test.js';

const mapping = compileMappingText(
  [
    'fields:',
    '  number: { from: XKZBH, transform: [trim] }',
    '  status:',
    '    - { when: { column: ZT, equals: "01" }, const: revoked }',
    '    - { when: { column: ZT, in: ["02", "03"] }, const: suspended }',
    '    - { const: valid }',
    '  surface.name: { from: MC }',
  ].join('\n'),
  '/maps/m.yaml',
);

const run = (cases: string[]) =>
  runMappingTests(parseMappingTestFile(['cases:', ...cases, ''].join('\n'), '/maps/m.test.yaml'), mapping);

const HINT =
  /^ {2}status: the `when` of the rule at \/maps\/m\.yaml:(\d+) holds for this row's codes written half-width/;

describe('a mapping test case a full-width code sent to another rule', () => {
  it.each([
    ['equals', '０１', 'revoked', '4'],
    ['in', '０３', 'suspended', '5'],
  ])(
    '%s: the failure names the field and the rule that would hold, not the value',
    (_n, code, want, line) => {
      const [result] = run([
        `  - { name: a, row: { XKZBH: JY1, ZT: "${code}", MC: ＡＢ }, expect: { fields: { status: ${want} } } }`,
      ]);
      expect(result?.passed).toBe(false);
      const hints = (result?.messages ?? []).filter((m) => HINT.test(m));
      expect(hints).toHaveLength(1);
      expect(HINT.exec(hints[0] ?? '')?.[1]).toBe(line);
      expect(hints[0]).not.toContain(code);
    },
  );

  it('no such line where the half-width codes choose the same rule, or the case passes', () => {
    const results = run([
      '  - { name: same rule, row: { XKZBH: JY1, ZT: "０９", MC: a }, expect: { fields: { status: revoked } } }',
      '  - { name: other field, row: { XKZBH: ＪＹ１, ZT: "01", MC: a }, expect: { fields: { number: JY1 } } }',
      '  - { name: passes, row: { XKZBH: JY1, ZT: "０１", MC: a }, expect: { fields: { status: valid } } }',
    ]);
    expect(results.map((r) => r.passed)).toEqual([false, false, true]);
    for (const r of results) expect(r.messages.filter((m) => m.includes('half-width'))).toEqual([]);
  });
});
