/**
 * createLicenseMapper beyond the demo row: setup problems, rows the connector could not decode,
 * derived expiry (docs/lifecycle.md's table), today in conditions, reasons pointed at their rule,
 * renewals, the holder contact, `continues`, and a failure inside the stage. Every mapper is made
 * inside its test.
 */
import { describe, expect, it } from 'vitest';
import { contentHash } from '../../catalog/canonical.js';
import { buildCatalog, type Catalog } from '../../catalog/catalog.js';
import { identifierBuilder } from '../../catalog/identifier.js';
import { ConfigError } from '../../core/errors.js';
import { compileMappingText } from '../../mappings/compile.js';
import {
  createLicenseMapper,
  type LicenseMapperOptions,
  type MapRowResult,
} from '../../mappings/license-mapper.js';
import type { CompiledMapping, InputValue } from '../../mappings/types.js';

const TYPE = '11370200MB12345674001';
const ISSUER = { name: '青岛西海岸新区市场监督管理局', code: '11370211MB12345672' };

const CATALOG = buildCatalog([
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
const MAPPING_LINES = [
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
const MAPPING = compileMappingText(MAPPING_LINES.join('\n'), 'stall-map.yaml');

/** The mapping with one line (1-based) replaced. */
function mappingWith(line: number, text: string): CompiledMapping {
  const lines = MAPPING_LINES.map((l, i) => (i === line - 1 ? text : l));
  return compileMappingText(lines.join('\n'), 'stall-map.yaml');
}

function values(overrides: Record<string, InputValue> = {}): Record<string, InputValue> {
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

function options(extra: Partial<LicenseMapperOptions> = {}): LicenseMapperOptions {
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

function mapped(result: MapRowResult) {
  if (!result.ok) throw new Error(`expected the row to map: ${JSON.stringify(result.reasons)}`);
  return result.candidate;
}

function setupProblems(opts: LicenseMapperOptions): unknown {
  try {
    createLicenseMapper(opts);
  } catch (e) {
    if (e instanceof ConfigError) return e.problems;
    throw e;
  }
  throw new Error('expected a ConfigError');
}

describe('createLicenseMapper: setup problems name the setting and the file', () => {
  it('names an unknown license type at pipelines.<name>.licenseType of the config file', () => {
    const problems = setupProblems(
      options({ licenseType: '11370200MB12345674099', configFile: 'config/pipelines.yaml' }),
    );
    expect(problems).toStrictEqual([
      {
        file: 'config/pipelines.yaml',
        line: 1,
        column: 1,
        path: 'pipelines.stalls.licenseType',
        message: expect.stringContaining('11370200MB12345674099'),
      },
    ]);
  });

  it('names a bad issuer code and a bad area code together, in the mapping file when no config file is known', () => {
    const problems = setupProblems(
      options({ issuer: { name: 'x', code: '11370211MB1234567X' }, areaCode: '37021' }),
    );
    expect(problems).toStrictEqual([
      {
        file: 'stall-map.yaml',
        line: 1,
        column: 1,
        path: 'pipelines.stalls.issuer.code',
        message: expect.stringContaining('11370211MB1234567X'),
      },
      {
        file: 'stall-map.yaml',
        line: 1,
        column: 1,
        path: 'pipelines.stalls.areaCode',
        message: expect.stringContaining('37021'),
      },
    ]);
  });

  it('needs no area code in config when the mapping gives one', () => {
    const candidate = mapped(createLicenseMapper(options())({ key: 's-1', values: values() }, 'r'));
    expect(candidate.build(1).areaCode).toBe('370211');
  });
});

describe('createLicenseMapper: rows the connector could not decode', () => {
  it('quarantines the row with the connector reasons, each pointed at the rule reading its column', () => {
    const result = createLicenseMapper(options())(
      {
        key: 's-1',
        values: values({ DM: null, MPH: null }),
        problems: [
          { column: 'DM', code: 'LB_SOURCE_DECODE', message: 'DM: not valid GBK' },
          { column: 'MPH', code: 'LB_SOURCE_DECODE', message: 'MPH: not valid GBK' },
          { column: 'GXSJ', code: 'LB_SOURCE_TYPE', message: 'GXSJ: unsupported type' },
        ],
      },
      'r',
    );
    expect(result).toStrictEqual({
      ok: false,
      reasons: [
        {
          code: 'LB_SOURCE_DECODE',
          message: 'DM: not valid GBK',
          column: 'DM',
          path: 'holder.id',
          location: 'stall-map.yaml:5',
        },
        // MPH is the second column of a template rule.
        {
          code: 'LB_SOURCE_DECODE',
          message: 'MPH: not valid GBK',
          column: 'MPH',
          path: 'surface.premises',
          location: 'stall-map.yaml:11',
        },
        // No rule reads GXSJ: the reason names the column alone.
        { code: 'LB_SOURCE_TYPE', message: 'GXSJ: unsupported type', column: 'GXSJ' },
      ],
    });
  });

  it('maps a row whose problem list is empty', () => {
    const candidate = mapped(
      createLicenseMapper(options())({ key: 's-1', values: values(), problems: [] }, 'r'),
    );
    expect(candidate.status).toBe('valid');
  });
});

describe('createLicenseMapper: derived expiry (docs/lifecycle.md)', () => {
  // [source status code, validTo column, today, expected status]
  const cases: [string, string | null, string, string][] = [
    ['1', '2026-03-14', '2026-03-15', 'expired'], // the day after validTo
    ['1', '2026-03-14', '2026-03-14', 'valid'], // validTo is the last valid day
    ['1', '2026-03-14', '2026-03-13', 'valid'],
    ['0', '2026-03-14', '2026-03-15', 'revoked'], // a stated status stands whatever the date
    ['2', '2026-03-14', '2030-01-01', 'suspended'],
    ['1', null, '2099-12-31', 'valid'], // long-term: never expires
  ];
  for (const [zt, validTo, today, status] of cases) {
    it(`maps status ${zt}, validTo ${validTo}, on ${today} as ${status}`, () => {
      const mapper = createLicenseMapper(options({ today: () => today }));
      const candidate = mapped(mapper({ key: 's-1', values: values({ ZT: zt, ZZ: validTo }) }, 'r'));
      expect(candidate.status).toBe(status);
      expect(candidate.build(1).status).toBe(status);
    });
  }

  it('leaves a past validTo valid when derived expiry is off (no today)', () => {
    const candidate = mapped(
      createLicenseMapper(options())(
        { key: 's-1', values: values({ ZZ: '2000-01-01', FZ: '1999-01-01' }) },
        'r',
      ),
    );
    expect(candidate.status).toBe('valid');
  });
});

describe('createLicenseMapper: today', () => {
  it('is the day conditions compare with, asked once per row', () => {
    let asked = 0;
    const mapper = createLicenseMapper(
      options({
        today: () => {
          asked += 1;
          return '2000-01-01';
        },
      }),
    );
    // The clock is years past 2000: only the pinned day keeps 2000-01-02 from being before today.
    const later = mapped(mapper({ key: 's-1', values: values({ KY: '2000-01-02' }) }, 'r'));
    const earlier = mapped(mapper({ key: 's-2', values: values({ KY: '1999-12-31' }) }, 'r'));
    expect(later.build(1).surface.stage).toBe('planned');
    expect(earlier.build(1).surface.stage).toBe('opened');
    expect(asked).toBe(2);
  });
});

describe('createLicenseMapper: catalog reasons point at the rule that wrote the field', () => {
  it('points an item of a list at the rule that wrote the whole list (a split)', () => {
    const result = createLicenseMapper(options())(
      { key: 's-1', values: values({ XM: '预包装食品;散装食品及冷藏冷冻食品' }) },
      'r',
    );
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.reasons).toStrictEqual([
      {
        code: 'LB_SCHEMA_LENGTH',
        path: 'surface.items.1',
        message: expect.any(String),
        value: '散装食品及冷藏冷冻食品',
        location: 'stall-map.yaml:12',
        column: 'XM',
      },
    ]);
  });

  it('points a key inside an item of a list at the rule that wrote the whole list', () => {
    const mapping = mappingWith(13, '  surface.stands: { const: [{ kind: stall }, { kind: cart }] }');
    const result = createLicenseMapper(options({ mapping }))({ key: 's-1', values: values() }, 'r');
    expect(!result.ok && result.reasons).toStrictEqual([
      {
        code: 'LB_SCHEMA_ENUM',
        path: 'surface.stands.1.kind',
        message: expect.any(String),
        value: 'cart',
        location: 'stall-map.yaml:13',
      },
    ]);
  });

  it('points a key inside an object at the rule that wrote the object, which reads no column', () => {
    const mapping = mappingWith(13, '  surface.meta: { const: { grade: "Z" } }');
    const result = createLicenseMapper(options({ mapping }))({ key: 's-1', values: values() }, 'r');
    expect(result.ok).toBe(false);
    if (result.ok) return;
    // A const rule has no column: the reason has none either (not `column: undefined`).
    expect(result.reasons).toStrictEqual([
      {
        code: 'LB_SCHEMA_ENUM',
        path: 'surface.meta.grade',
        message: expect.any(String),
        value: 'Z',
        location: 'stall-map.yaml:13',
      },
    ]);
  });

  it('leaves a reason about a field no rule writes without a location', () => {
    const mapping = mappingWith(10, '  # areaCode comes from nowhere');
    const result = createLicenseMapper(options({ mapping }))({ key: 's-1', values: values() }, 'r');
    expect(result).toStrictEqual({
      ok: false,
      reasons: [{ code: 'LB_SCHEMA_REQUIRED', path: 'areaCode', message: expect.any(String) }],
    });
  });

  it('passes a reason about the whole license through as the catalog gave it', () => {
    const whole = { code: 'LB_CATALOG_STALE', message: 'catalog: entry changed while mapping' };
    const catalog: Catalog = { ...CATALOG, validate: () => [{ ...whole }] };
    const result = createLicenseMapper(options({ catalog }))({ key: 's-1', values: values() }, 'r');
    expect(result).toStrictEqual({ ok: false, reasons: [whole] });
  });
});

describe('createLicenseMapper: renewals', () => {
  it('hands the ledger the predecessor the row names, as a renewal by default', () => {
    const mapper = createLicenseMapper(options());
    const renewal = mapped(mapper({ key: 's-1', values: values({ YZ: 'TF3702110000' }) }, 'r'));
    expect(renewal.predecessor).toStrictEqual({ number: 'TF3702110000' });
    expect(renewal.operation).toBe('renew');
    const change = mapped(mapper({ key: 's-1', values: values({ YZ: 'TF3702110000', CZ: 'change' }) }, 'r'));
    expect(change.operation).toBe('change');
    // Neither is part of the license.
    expect(change.build(1)).not.toHaveProperty('predecessor');
    expect(change.build(1)).not.toHaveProperty('operation');
  });

  it('names no predecessor for a new license', () => {
    const candidate = mapped(createLicenseMapper(options())({ key: 's-1', values: values() }, 'r'));
    expect(candidate.predecessor).toBeUndefined();
    expect(candidate.operation).toBeUndefined();
  });

  it('quarantines an operation without a predecessor, at the operation rule', () => {
    const result = createLicenseMapper(options())({ key: 's-1', values: values({ CZ: 'transfer' }) }, 'r');
    expect(result).toStrictEqual({
      ok: false,
      reasons: [
        {
          code: 'LB_PREDECESSOR_REQUIRED',
          message: expect.stringContaining('transfer'),
          path: 'operation',
          location: 'stall-map.yaml:18',
        },
      ],
    });
  });
});

describe('createLicenseMapper: the holder contact', () => {
  const contactMapping = () =>
    compileMappingText(
      [...MAPPING_LINES, '  contact.phone: { from: DH, transform: [trim] }'].join('\n'),
      'stall-map.yaml',
    );

  it('hands over the contact the row gives, and null when it gives none', () => {
    const mapper = createLicenseMapper(options({ mapping: contactMapping() }));
    const given = mapped(mapper({ key: 's-1', values: values({ DH: ' 13912345678 ' }) }, 'r'));
    expect(given.contact).toStrictEqual({ phone: '13912345678' });
    expect(JSON.stringify(given.build(1))).not.toContain('13912345678');
    const none = mapped(mapper({ key: 's-2', values: values({ DH: '  ' }) }, 'r'));
    expect(none.contact).toBeNull();
  });

  it('hands over no contact when the mapping has no contact rules', () => {
    const candidate = mapped(createLicenseMapper(options())({ key: 's-1', values: values() }, 'r'));
    expect(candidate.contact).toBeUndefined();
  });
});

describe('createLicenseMapper: continues', () => {
  it('carries the predecessor identifier in every version from then on, and rehashes', () => {
    const candidate = mapped(
      createLicenseMapper(options())({ key: 's-1', values: values({ YZ: 'TF3702110000' }) }, 'r'),
    );
    const before = candidate.contentHash;
    const previous = identifierBuilder(TYPE, ISSUER.code).identifier('OLD0000000000000001', 3);
    candidate.continues?.(previous);
    const v1 = candidate.build(1);
    expect(v1.previousIdentifier).toBe(previous);
    expect(candidate.build(2).previousIdentifier).toBe(previous);
    expect(CATALOG.validate(v1)).toEqual([]);
    expect(candidate.contentHash).not.toBe(before);
    expect(candidate.contentHash).toBe(contentHash(v1));
  });
});

describe('createLicenseMapper: a failure inside the stage', () => {
  it('becomes one LB_INTERNAL reason for the row instead of a throw', () => {
    const failing = (thrown: unknown): CompiledMapping => ({
      ...MAPPING,
      map: () => {
        throw thrown;
      },
    });
    const row = { key: 's-1', values: values() };
    expect(
      createLicenseMapper(options({ mapping: failing(new Error('out of memory')) }))(row, 'r'),
    ).toStrictEqual({
      ok: false,
      reasons: [{ code: 'LB_INTERNAL', message: 'license mapper: out of memory' }],
    });
    expect(createLicenseMapper(options({ mapping: failing('gone') }))(row, 'r')).toStrictEqual({
      ok: false,
      reasons: [{ code: 'LB_INTERNAL', message: 'license mapper: gone' }],
    });
  });
});
