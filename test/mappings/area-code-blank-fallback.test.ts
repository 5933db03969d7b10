/**
 * `areaCode` falls back to the pipeline's `areaCode` when the mapping gives none
 * (docs/mapping-language.md). A NULL column fell back, but a blank one — CHAR(6) spaces trimmed
 * to '', or '' as MySQL, SQL Server and PostgreSQL keep it where Oracle stores NULL — was kept as
 * the area code, and every such row was quarantined LB_SCHEMA_FORMAT: the same legacy data mapped
 * on one database and not on another. Blank is no area code, as NULL is.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { type Catalog, loadCatalog } from '../../catalog/catalog.js';
import { compileMapping } from '../../mappings/compile.js';
import { createLicenseMapper } from '../../mappings/license-mapper.js';
import type { CompiledMapping } from '../../mappings/types.js';
import { DEMO_CATALOG_DIR, DEMO_ISSUER, DEMO_TYPE } from '../catalog/fixtures.js';
import { DEMO_MAPPING_FILE, demoValues } from './fixtures.js';

let catalog: Catalog;
let mapping: CompiledMapping;
beforeAll(async () => {
  catalog = await loadCatalog(DEMO_CATALOG_DIR);
  mapping = await compileMapping(DEMO_MAPPING_FILE);
});

function mapWith(XZQH: string | null, areaCode?: string) {
  const mapper = createLicenseMapper({
    pipeline: 'food-business-licenses',
    sourceName: 'market-food',
    mapping,
    catalog,
    licenseType: DEMO_TYPE,
    issuer: DEMO_ISSUER,
    ...(areaCode === undefined ? {} : { areaCode }),
  });
  return mapper({ key: '1', values: demoValues({ XZQH }) }, 'run-1');
}

describe('areaCode: a blank column falls back to the pipeline', () => {
  it('as a NULL one does', () => {
    for (const blank of [null, '', '      ']) {
      const r = mapWith(blank, '370211');
      if (!r.ok) throw new Error(`${JSON.stringify(blank)}: ${JSON.stringify(r.reasons)}`);
      expect(r.candidate.build(1).areaCode).toBe('370211');
    }
  });

  it('a column that holds one is kept', () => {
    const r = mapWith('370282', '370211');
    if (!r.ok) throw new Error(JSON.stringify(r.reasons));
    expect(r.candidate.build(1).areaCode).toBe('370282');
  });

  it('without a pipeline area code, blank is a missing area code', () => {
    const r = mapWith('', undefined);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.reasons.map((x) => [x.code, x.path])).toEqual([['LB_SCHEMA_REQUIRED', 'areaCode']]);
  });
});
