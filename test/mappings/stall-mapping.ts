/**
 * A food-stall license type, its mapping and a row of it, from which each createLicenseMapper test
 * makes its own mapper.
 */
import { buildCatalog } from '../../catalog/catalog.js';
import { compileMappingText } from '../../mappings/compile.js';
import type { LicenseMapperOptions, MapRowResult } from '../../mappings/license-mapper.js';
import type { CompiledMapping, InputValue } from '../../mappings/types.js';

export const TYPE = '11370200MB12345674001';
export const ISSUER = { name: '青岛西海岸新区市场监督管理局', code: '11370211MB12345672' };

export const CATALOG = buildCatalog([
  {
    file: 'stall.yaml',
    text: [
      `code: ${TYPE}`,
      'name: 食品摊贩登记证',
      'defineAuthority: { name: 青岛市市场监督管理局, code: 11370200MB12345674 }',
      'holderCategory: legal-person',
      'surface:',
      '  type: object',
      '  additionalProperties: false',
      '  required: [premises]',
      '  properties:',
      '    premises: { type: string, minLength: 1 }',
      '    items: { type: array, items: { type: string, maxLength: 8 } }',
      '    meta: { type: object, properties: { grade: { enum: [A, B, C] } } }',
      '    stage: { enum: [opened, planned] }',
      '    stands: { type: array, items: { type: object, properties: { kind: { enum: [stall, kiosk] } } } }',
    ].join('\n'),
  },
]);

// The line of each rule is its `location` (`stall-map.yaml:N`): number is on line 2.
export const MAPPING_LINES = [
  'fields:',
  '  number: { from: BH, transform: [trim] }',
  '  holder.name: { from: MC }',
  '  holder.idType: { const: "001" }',
  '  holder.id: { from: DM }',
  '  issueDate: { from: FZ, transform: [{ date: [yyyy-MM-dd] }] }',
  '  validFrom: { from: FZ, transform: [{ date: [yyyy-MM-dd] }] }',
  '  validTo: { from: ZZ, transform: [{ date: [yyyy-MM-dd] }] }',
  '  status: { from: ZT, lookup: { "1": valid, "0": revoked, "2": suspended } }',
  '  areaCode: { from: QH }',
  '  surface.premises: { template: "{JYCS}{MPH}号" }',
  '  surface.items: { from: XM, transform: [{ split: ";" }] }',
  '  surface.meta: { const: { grade: "A" } }',
  '  surface.stage:',
  '    - { when: { column: KY, before: today }, const: opened }',
  '    - { const: planned }',
  '  predecessor.number: { from: YZ }',
  '  operation: { from: CZ }',
];
export const MAPPING = compileMappingText(MAPPING_LINES.join('\n'), 'stall-map.yaml');

/** The mapping with one line (1-based) replaced. */
export function mappingWith(line: number, text: string): CompiledMapping {
  const lines = MAPPING_LINES.map((l, i) => (i === line - 1 ? text : l));
  return compileMappingText(lines.join('\n'), 'stall-map.yaml');
}

export function values(overrides: Record<string, InputValue> = {}): Record<string, InputValue> {
  return {
    BH: 'TF3702110001',
    MC: '青岛海滨食品有限公司',
    DM: '91370406L24894136J',
    FZ: '2021-03-15',
    ZZ: '2026-03-14',
    ZT: '1',
    QH: '370211',
    JYCS: '长江中路',
    MPH: '1',
    XM: '预包装食品;散装食品',
    KY: '2021-03-01',
    YZ: null,
    CZ: null,
    ...overrides,
  };
}

export function options(extra: Partial<LicenseMapperOptions> = {}): LicenseMapperOptions {
  return {
    pipeline: 'stalls',
    sourceName: 'stall-db',
    mapping: MAPPING,
    catalog: CATALOG,
    licenseType: TYPE,
    issuer: ISSUER,
    ...extra,
  };
}

export function mapped(result: MapRowResult) {
  if (!result.ok) throw new Error(`expected the row to map: ${JSON.stringify(result.reasons)}`);
  return result.candidate;
}
