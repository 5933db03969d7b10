/**
 * A field with several `when` rules: a reason about its value points at the rule that wrote it for
 * the row, not at the field's first rule. Catalog reasons (a value the entry refuses), a
 * successor's reasons, and connector reasons (a column the source could not decode) each name
 * the later rule's `file:line` and column when the row's `when`s chose it.
 */
import { describe, expect, it } from 'vitest';
import { compileMappingText } from '../../mappings/compile.js';
import { createLicenseMapper } from '../../mappings/license-mapper.js';
import { MAPPING_LINES, options, values } from './stall-mapping.js';

// Line 14 of the stall mapping is surface.stage; it becomes three rules here, on lines 15-17:
// the first reads JD when KY is before today, the second reads JH when LX is 2, the last is a const.
const LINES = [
  ...MAPPING_LINES.slice(0, 13),
  '  surface.stage:',
  '    - { when: { column: KY, before: today }, from: JD }',
  '    - { when: { column: LX, equals: "2" }, from: JH }',
  '    - { const: planned }',
  '  predecessor.number: { from: YZ }',
  '  operation:',
  '    - { when: { column: LX, equals: "1" }, from: CZ }',
  '    - { from: CZ2 }',
];
const MAPPING = compileMappingText(LINES.join('\n'), 'stall-map.yaml');

const row = (overrides: Record<string, string | null>) =>
  values({ JD: 'opened', JH: 'planned', LX: '2', CZ2: null, ...overrides });

describe('reasons about a field with several rules', () => {
  it('point a catalog reason at the later rule that wrote the value', () => {
    const mapper = createLicenseMapper(options({ mapping: MAPPING, today: () => '2021-01-01' }));
    // KY is after today: the first rule is skipped, the second (line 16, JH) writes the stage.
    const result = mapper({ key: 's-1', values: row({ JH: 'closed' }) }, 'r');
    expect(!result.ok && result.reasons).toStrictEqual([
      {
        code: 'LB_SCHEMA_ENUM',
        path: 'surface.stage',
        message: expect.any(String),
        value: 'closed',
        location: 'stall-map.yaml:16',
        column: 'JH',
      },
    ]);
  });

  it('still point at the first rule when it wrote the value', () => {
    const mapper = createLicenseMapper(options({ mapping: MAPPING, today: () => '2030-01-01' }));
    const result = mapper({ key: 's-1', values: row({ JD: 'closed' }) }, 'r');
    expect(!result.ok && result.reasons).toMatchObject([
      { path: 'surface.stage', location: 'stall-map.yaml:15', column: 'JD' },
    ]);
  });

  it('point an operation reason at the later rule that gave the operation', () => {
    const mapper = createLicenseMapper(options({ mapping: MAPPING, today: () => '2030-01-01' }));
    const result = mapper({ key: 's-1', values: row({ CZ2: 'merge', YZ: 'TF3702110000' }) }, 'r');
    expect(!result.ok && result.reasons).toMatchObject([
      { code: 'LB_MAP_OPERATION', path: 'operation', location: 'stall-map.yaml:21' },
    ]);
  });

  it('point a connector reason at the later rule that reads the column for the row', () => {
    const mapper = createLicenseMapper(options({ mapping: MAPPING, today: () => '2021-01-01' }));
    const result = mapper(
      {
        key: 's-1',
        values: row({ JH: null }),
        problems: [{ column: 'JH', code: 'LB_SOURCE_DECODE', message: 'JH: not valid GBK' }],
      },
      'r',
    );
    expect(result).toStrictEqual({
      ok: false,
      reasons: [
        {
          code: 'LB_SOURCE_DECODE',
          message: 'JH: not valid GBK',
          column: 'JH',
          path: 'surface.stage',
          location: 'stall-map.yaml:16',
        },
      ],
    });
  });
});
