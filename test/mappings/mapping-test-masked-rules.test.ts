/**
 * A failing mapping-test case masks a value fed by a column listed under `personal:` (as preview
 * does), also when the field's first rule reads another column (rules under `when`) and when the
 * field is written as a list (`surface.items[]`): only the first rule's column was looked at,
 * under the path with its `[]`, and such a value went whole to terminals and CI logs.
 */
import { describe, expect, it } from 'vitest';
import { compileMappingText } from '../../mappings/compile.js';
import { parseMappingTestFile, runMappingTests } from '../../mappings/mapping-test.js';

const mapping = compileMappingText(
  [
    'personal: [DZ, LXR]',
    'fields:',
    '  surface.premises:',
    '    - { when: { column: LX, equals: "9" }, from: BZ }',
    '    - { from: DZ }',
    '  surface.contacts[]: { from: LXR, transform: [{ split: "、" }] }',
    '',
  ].join('\n'),
  '/maps/shop.yaml',
);

function run(row: string, fields: string): string {
  const spec = parseMappingTestFile(
    `cases:\n  - { name: c, row: { ${row} }, expect: { fields: { ${fields} } } }\n`,
    '/maps/shop.test.yaml',
  );
  return runMappingTests(spec, mapping)
    .flatMap((r) => r.messages)
    .join('\n');
}

describe('a failing case and personal columns read by a later rule or into a list', () => {
  it('masks what they feed', () => {
    const messages = run(
      'LX: "1", BZ: x, DZ: 山东省青岛市黄岛区长江中路1号, LXR: 王小明、李大同',
      'surface.premises: 山东省青岛市黄岛区长江中路2号, surface.contacts: [王小明]',
    );
    expect(messages).toContain('surface.premises: expected');
    expect(messages).toContain('surface.contacts');
    expect(messages).not.toContain('长江中路1号');
    expect(messages).not.toContain('李大同');
    expect(messages).not.toContain('王小明');
  });

  it('shows a value of the first rule, whose column is not listed, as masked too', () => {
    const messages = run('LX: "9", BZ: 备注文字, DZ: x, LXR: y', 'surface.premises: 另一段文字');
    expect(messages).toContain('surface.premises: expected');
    expect(messages).not.toContain('备注文字');
  });
});
