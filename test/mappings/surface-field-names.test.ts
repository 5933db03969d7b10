/**
 * A catalog entry's face fields may have any name a JSON Schema property may: Chinese (经营项目),
 * hyphens (sub-item). Mapping paths took only `[A-Za-z_][A-Za-z0-9_]*` segments, so such a field
 * could never be written, and a required one failed every row LB_SCHEMA_REQUIRED. A path segment
 * is now any name but the path syntax's own characters.
 */
import { describe, expect, it } from 'vitest';
import { buildCatalog } from '../../catalog/catalog.js';
import { buildIdentifier } from '../../catalog/identifier.js';
import { compileMappingText } from '../../mappings/compile.js';

const ENTRY = `code: 11370200MB12345674001
name: 食品经营许可证
defineAuthority: { name: 青岛市市场监督管理局, code: 11370200MB12345674 }
defineLevel: city
issuerLevel: county
holderCategory: legal-person
validity: 5年
surface:
  type: object
  additionalProperties: false
  required: [经营项目, sub-item, 场所]
  properties:
    经营项目: { type: string, minLength: 1 }
    sub-item: { type: string, minLength: 1 }
    场所: { type: array, items: { type: object, properties: { 名称: { type: string } } } }
`;

describe('face fields named in Chinese or with hyphens', () => {
  it('a mapping writes them, and the license passes its catalog entry', () => {
    const mapping = compileMappingText(
      [
        'fields:',
        '  surface.经营项目: { from: JYXM }',
        '  surface.sub-item: { from: SUB }',
        '  surface.场所[].名称: { from: CS, transform: [{ split: "," }] }',
      ].join('\n'),
      '/maps/m.yaml',
    );
    const mapped = mapping.map({ JYXM: '预包装食品销售', SUB: '散装食品', CS: '一号店,二号店' });
    expect(mapped.ok && mapped.fields.surface).toEqual({
      经营项目: '预包装食品销售',
      'sub-item': '散装食品',
      场所: [{ 名称: '一号店' }, { 名称: '二号店' }],
    });
    const catalog = buildCatalog([{ file: '/catalog/food.yaml', text: ENTRY }]);
    const license = {
      identifier: buildIdentifier({
        typeCode: '11370200MB12345674001',
        issuerCode: '11220000013544541J',
        serial: '2430599',
        version: 1,
      }),
      number: 'JY23702110012345',
      type: { name: '食品经营许可证', code: '11370200MB12345674001' },
      issuer: { name: '青岛市市场监督管理局', code: '11220000013544541J' },
      issueDate: '2021-03-15',
      validFrom: '2021-03-15',
      validTo: '2026-03-14',
      areaCode: '370211',
      holder: { name: '青岛某某食品有限公司', idType: '001', id: '91370406L24894136J' },
      status: 'valid',
      surface: mapped.ok ? mapped.fields.surface : {},
    };
    expect(catalog.validate(license as never)).toEqual([]);
  });

  it('still refuses what the path syntax cannot hold', () => {
    for (const to of ['surface.经营 项目', 'surface.0', 'surface.a[]b', 'surface.__proto__']) {
      expect(
        () => compileMappingText(`fields:\n  ${JSON.stringify(to)}: { from: A }\n`, '/maps/m.yaml'),
        to,
      ).toThrow(/must be dot-separated names/);
    }
  });

  it('refuses invisible characters, naming each by code point and where it stands', () => {
    // A zero-width joiner makes 经营\u200d项目 look like the entry's 经营项目 while writing
    // another field; a right-to-left override turns the reason that names it around.
    const cases: [string, string][] = [
      [
        'surface.经营\u200d项目',
        '`surface.经营<U+200D>项目`: it holds U+200D ZERO WIDTH JOINER, an invisible character, at character 11',
      ],
      [
        'surface.a\u202eb',
        '`surface.a<U+202E>b`: it holds U+202E RIGHT-TO-LEFT OVERRIDE, an invisible character, at character 10',
      ],
      [
        'surface.\u2066x',
        '`surface.<U+2066>x`: it holds U+2066 LEFT-TO-RIGHT ISOLATE, an invisible character, at character 9',
      ],
      [
        'surface.x\u00ad',
        '`surface.x<U+00AD>`: it holds U+00AD SOFT HYPHEN, an invisible character, at character 10',
      ],
      // Outside `surface`, a path looking like a known one was called unknown.
      [
        'holder.id\u200b',
        '`holder.id<U+200B>`: it holds U+200B ZERO WIDTH SPACE, an invisible character, at character 10',
      ],
      [
        'surface\u200b.x',
        '`surface<U+200B>.x`: it holds U+200B ZERO WIDTH SPACE, an invisible character, at character 8',
      ],
    ];
    for (const [to, named] of cases) {
      expect(
        () => compileMappingText(`fields:\n  ${JSON.stringify(to)}: { from: A }\n`, '/maps/m.yaml'),
        JSON.stringify(to),
      ).toThrow(`/maps/m.yaml:2:3: fields.${to}: output path ${named}; delete it (editors hide it)`);
    }
  });
});
