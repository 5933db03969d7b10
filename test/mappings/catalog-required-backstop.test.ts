/**
 * The catalog is the backstop behind the mapping: a mapping that leaves out a face field the
 * license type requires issues no license — each row is quarantined naming the field. The list of
 * required fields is read from the catalog YAML here with the `yaml` package, not from licbridge.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { type Catalog, loadCatalog } from '../../catalog/catalog.js';
import { compileMappingText } from '../../mappings/compile.js';
import { createLicenseMapper } from '../../mappings/license-mapper.js';
import { DEMO_CATALOG_DIR, DEMO_ISSUER, DEMO_TYPE } from '../catalog/fixtures.js';
import { DEMO_MAPPING_FILE, demoValues } from './fixtures.js';

const CATALOG_FILE = fileURLToPath(
  new URL('../../examples/west-coast/catalog/food-business-license.yaml', import.meta.url),
);
const requiredSurface: string[] = (
  parse(readFileSync(CATALOG_FILE, 'utf8')) as { surface: { required: string[] } }
).surface.required;
const mappingText = readFileSync(DEMO_MAPPING_FILE, 'utf8');

/** The demo mapping with the rule for `surface.<field>` taken out (it may span two lines). */
function withoutRule(field: string): string {
  const lines = mappingText.split('\n');
  const at = lines.findIndex((l) => l.trimStart().startsWith(`surface.${field}:`));
  if (at < 0) throw new Error(`the demo mapping has no rule for surface.${field}`);
  const span = lines[at]?.trim().endsWith(':') ? 2 : 1;
  lines.splice(at, span);
  return lines.join('\n');
}

let catalog: Catalog;
beforeAll(async () => {
  catalog = await loadCatalog(DEMO_CATALOG_DIR);
});

describe('catalog required fields back up the mapping', () => {
  it('reads the four required face fields from the catalog file', () => {
    expect(requiredSurface.sort()).toEqual([
      'businessForm',
      'businessItems',
      'legalRepresentative',
      'premises',
    ]);
  });

  it.each(requiredSurface)('quarantines every row when the mapping leaves out surface.%s', (field) => {
    const mapping = compileMappingText(withoutRule(field), DEMO_MAPPING_FILE);
    const mapper = createLicenseMapper({
      pipeline: 'food-business-licenses',
      sourceName: 'market-food',
      mapping,
      catalog,
      licenseType: DEMO_TYPE,
      issuer: DEMO_ISSUER,
      areaCode: '370211',
    });
    const result = mapper({ key: '1', values: demoValues() }, 'run-1');
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.reasons).toEqual([
      expect.objectContaining({ code: 'LB_SCHEMA_REQUIRED', path: expect.stringContaining(field) }),
    ]);
  });
});
