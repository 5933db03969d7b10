/**
 * createLicenseMapper beyond the demo row: setup problems, rows the connector could not decode,
 * reasons pointed at their rule, and a failure inside the stage (what the license carries from row
 * to row: license-mapper-versions.test.ts). Every mapper is made inside its test.
 */
import { describe, expect, it } from 'vitest';
import type { Catalog } from '../../catalog/catalog.js';
import { ConfigError } from '../../core/errors.js';
import { createLicenseMapper, type LicenseMapperOptions } from '../../mappings/license-mapper.js';
import type { CompiledMapping } from '../../mappings/types.js';
import { CATALOG, MAPPING, mapped, mappingWith, options, values } from './stall-mapping.js';

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
