/**
 * `licbridge test` printed a failing case's expected and mapped values as they were: a natural
 * person's name and resident ID number went whole to terminals and CI logs. They are now masked as
 * `preview` masks them (catalog/personal.ts); a legal person's name stays in clear, and a case
 * whose only difference the masks hide says so.
 */
import { describe, expect, it } from 'vitest';
import { compileMappingText } from '../../mappings/compile.js';
import { parseMappingTestFile, runMappingTests } from '../../mappings/mapping-test.js';

const mapping = compileMappingText(
  [
    'fields:',
    '  holder.name: { from: XM }',
    '  holder.idType: { from: LX }',
    '  holder.id: { from: ZJHM }',
    '  surface.note: { from: BZ }',
    '',
  ].join('\n'),
  '/maps/person.yaml',
);

function run(row: string, fields: string): string[] {
  const spec = parseMappingTestFile(
    `cases:\n  - { name: c, row: { ${row} }, expect: { fields: { ${fields} } } }\n`,
    '/maps/person.test.yaml',
  );
  return runMappingTests(spec, mapping).flatMap((r) => r.messages);
}

describe('a failing mapping-test case shows personal values masked', () => {
  it("masks a person's name and ID number, and an ID number in other text", () => {
    const messages = run(
      'XM: 张三丰, LX: "111", ZJHM: "11010519491231002X", BZ: "by 11010519491231002X"',
      'holder.name: 张四, holder.id: "110105194912310038", surface.note: "by 110105194912310038"',
    ).join('\n');

    expect(messages).not.toContain('张三丰');
    expect(messages).not.toContain('11010519491231002X');
    expect(messages).not.toContain('110105194912310038');
    expect(messages).toContain('holder.name: expected "张*", got "张**"');
    expect(messages).toContain('holder.id: expected "1101**********0038", got "1101**********002X"');
    expect(messages).toContain('surface.note: expected "by 1101**********0038", got "by 1101**********002X"');
  });

  it("says when the masks hide the only difference; shows a legal person's name in clear", () => {
    expect(run('XM: 张三, LX: "111", ZJHM: "1", BZ: x', 'holder.name: 张四')).toEqual([
      'holder.name: expected "张*", got "张*" (they differ in characters masked here: personal data is masked)',
    ]);
    expect(
      run('XM: 青岛某某有限公司, LX: "001", ZJHM: "91370211MA3C7Q2X4B", BZ: x', 'holder.name: 某公司'),
    ).toEqual(['holder.name: expected "某公司", got "青岛某某有限公司"']);
  });
});
