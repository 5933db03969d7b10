/**
 * A column listed under `personal:` is masked in every reason (docs/mapping-language.md), the
 * catalog's too. A premises too long for its catalog entry (LB_SCHEMA_LENGTH) was quarantined with
 * the whole address as its value, beside reasons of the mapping stage that mask it: the catalog
 * masks by the field's name, and `surface.premises` names no person.
 */
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { type Catalog, loadCatalog } from '../../catalog/catalog.js';
import { compileMappingText } from '../../mappings/compile.js';
import { createLicenseMapper } from '../../mappings/license-mapper.js';
import type { MapReason } from '../../mappings/types.js';
import { DEMO_CATALOG_DIR, DEMO_ISSUER, DEMO_TYPE } from '../catalog/fixtures.js';
import { DEMO_MAPPING_FILE, demoValues } from './fixtures.js';

let catalog: Catalog;
beforeAll(async () => {
  catalog = await loadCatalog(DEMO_CATALOG_DIR);
});

function reasons(personal: string, values: Record<string, string>): MapReason[] {
  const text = readFileSync(DEMO_MAPPING_FILE, 'utf8');
  const listed = text.replace('personal: [FDDBR, FDDBRSFZ]', personal);
  expect(listed).toContain(personal);
  const mapper = createLicenseMapper({
    pipeline: 'food-business-licenses',
    sourceName: 'market-food',
    mapping: compileMappingText(listed, DEMO_MAPPING_FILE),
    catalog,
    licenseType: DEMO_TYPE,
    issuer: DEMO_ISSUER,
    areaCode: '370211',
  });
  const result = mapper({ key: '1', values: demoValues(values) }, 'run-1');
  if (result.ok) throw new Error('expected the row to be quarantined');
  return result.reasons;
}

// 300 characters: past the demo entry's maxLength of 256 for premises, 128 for an item.
const LONG_PREMISES = `山东省青岛市黄岛区${'长江中路'.repeat(72)}号`;
const LONG_ITEM = `预包装食品销售${'含冷藏冷冻食品'.repeat(18)}`;

describe('catalog reasons on a field fed by a personal column', () => {
  it('mask the value, as the mapping stage does', () => {
    const got = reasons('personal: [FDDBR, FDDBRSFZ, JYCS, JYXM]', {
      JYCS: LONG_PREMISES,
      JYXM: `${LONG_ITEM}；散装食品销售`,
    });
    const premises = got.find((r) => r.path === 'surface.premises');
    const item = got.find((r) => r.path?.startsWith('surface.businessItems'));
    expect(premises).toMatchObject({ code: 'LB_SCHEMA_LENGTH', column: 'JYCS' });
    expect(item).toMatchObject({ code: 'LB_SCHEMA_LENGTH', column: 'JYXM' });
    expect(premises?.value).toMatch(/\*/);
    expect(premises?.value).not.toContain('长江中路长江中路');
    expect(item?.value).toMatch(/\*/);
    expect(item?.value).not.toContain('含冷藏冷冻食品含冷藏冷冻食品');
  });

  it('show it when the column is not listed', () => {
    const got = reasons('personal: [FDDBR, FDDBRSFZ]', { JYCS: LONG_PREMISES });
    const premises = got.find((r) => r.path === 'surface.premises');
    expect(premises?.value).toContain('山东省青岛市黄岛区长江中路长江中路');
  });
});
