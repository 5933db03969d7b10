/**
 * Mapping test cases run through the whole row → license stage (a test file naming a catalog):
 * the demo catalog and mapping, built inside each test so per-test coverage sees them. Expected
 * values are those of the demo row (test/mappings/fixtures.ts) as the demo catalog defines its
 * license: type and issuer come from the pipeline, not from the mapping.
 */
import { describe, expect, it } from 'vitest';
import { loadCatalog } from '../../catalog/catalog.js';
import { compileMapping } from '../../mappings/compile.js';
import { createLicenseMapper, type LicenseMapperOptions } from '../../mappings/license-mapper.js';
import { type MappingTestCase, runMappingTests } from '../../mappings/mapping-test.js';
import type { InputValue } from '../../mappings/types.js';
import { DEMO_CATALOG_DIR, DEMO_ISSUER, DEMO_TYPE } from '../catalog/fixtures.js';
import { DEMO_MAPPING_FILE, demoValues } from './fixtures.js';

type Expect = Pick<MappingTestCase, 'fields' | 'failures'>;

async function runDemo(
  cases: [Record<string, InputValue>, Expect][],
  extra: Partial<LicenseMapperOptions> = {},
) {
  const mapping = await compileMapping(DEMO_MAPPING_FILE);
  const mapper = createLicenseMapper({
    pipeline: 'demo',
    sourceName: 'market-food',
    mapping,
    catalog: await loadCatalog(DEMO_CATALOG_DIR),
    licenseType: DEMO_TYPE,
    issuer: DEMO_ISSUER,
    areaCode: '370211',
    ...extra,
  });
  const spec = {
    file: '/maps/food.test.yaml',
    mapping: './food.yaml',
    pipeline: 'demo',
    cases: cases.map(([overrides, expect], i) => ({
      name: `case ${i + 1}`,
      line: i + 2,
      key: String(i + 1),
      // A new license names no predecessor: YZSBH is NULL.
      values: demoValues({ YZSBH: null, ...overrides }),
      ...expect,
    })),
  };
  return runMappingTests(spec, mapping, mapper).map((r) => (r.passed ? 'pass' : r.messages));
}

describe('running cases through the license mapper', () => {
  it('checks the built license: fields the pipeline adds (type, issuer) as well as mapped ones', async () => {
    expect(
      await runDemo([
        [
          {},
          {
            fields: {
              'type.code': DEMO_TYPE,
              'issuer.code': DEMO_ISSUER.code,
              number: 'JY23702110012345',
              areaCode: '370211',
              'holder.id': '91370406L24894136J',
              'surface.businessItems[1]': '散装食品销售',
            },
          },
        ],
      ]),
    ).toEqual(['pass']);
  });

  it('a renewal shows the license it continues and its operation; a new license has neither', async () => {
    expect(
      await runDemo([
        [
          { YZSBH: ' jy23702110000001 ' },
          { fields: { 'predecessor.number': 'JY23702110000001', operation: 'renew' } },
        ],
        [{}, { fields: { 'predecessor.number': 'JY23702110000001', operation: 'renew' } }],
      ]),
    ).toEqual([
      'pass',
      [
        'predecessor.number: expected "JY23702110000001", got (absent)',
        'operation: expected "renew", got (absent)',
      ],
    ]);
  });

  it('the mapper’s reasons are the ones compared with expected failures', async () => {
    expect(
      await runDemo([
        [{ FDDBR: '' }, { failures: [{ code: 'LB_MAP_REQUIRED', path: 'surface.legalRepresentative' }] }],
        [
          { TYSHXYDM: '91370406L24894136X' },
          { failures: [{ code: 'LB_HOLDER_ID_CHECK', column: 'TYSHXYDM' }] },
        ],
        [{ FDDBR: '' }, { fields: {} }],
      ]),
    ).toEqual([
      'pass',
      'pass',
      [
        'expected the row to map, got LB_MAP_REQUIRED at surface.legalRepresentative',
        `  LB_MAP_REQUIRED: mapping: surface.legalRepresentative: value is required but empty (${DEMO_MAPPING_FILE}:24)`,
      ],
    ]);
  });

  it('a reason with no path or place is shown by its code and message alone', async () => {
    const today = () => {
      throw new Error('clock unavailable');
    };
    expect(await runDemo([[{}, { fields: {} }]], { today })).toEqual([
      ['expected the row to map, got LB_INTERNAL', '  LB_INTERNAL: license mapper: clock unavailable'],
    ]);
  });
});
