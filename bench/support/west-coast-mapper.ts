import { fileURLToPath } from 'node:url';
import { loadCatalog } from '../../catalog/catalog.js';
import { compileMapping } from '../../mappings/compile.js';
import { createLicenseMapper, type LicenseMapperOptions } from '../../mappings/license-mapper.js';

const EXAMPLE = fileURLToPath(new URL('../../../examples/west-coast/', import.meta.url));

/**
 * The west-coast example's catalog and compiled food-business mapping, and a mapper of it for the
 * benches' generated rows (source `bench`, area 370211); `options` give the rest.
 */
export async function westCoastFoodMapper(
  options: Omit<LicenseMapperOptions, 'sourceName' | 'mapping' | 'catalog' | 'areaCode'>,
) {
  const [catalog, mapping] = await Promise.all([
    loadCatalog(`${EXAMPLE}catalog`),
    compileMapping(`${EXAMPLE}mappings/food-business-license.yaml`),
  ]);
  const mapper = createLicenseMapper({
    ...options,
    sourceName: 'bench',
    mapping,
    catalog,
    areaCode: '370211',
  });
  return { catalog, mapping, mapper };
}
