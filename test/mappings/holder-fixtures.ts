import { readFileSync } from 'node:fs';
import { expect } from 'vitest';
import type { Catalog } from '../../catalog/catalog.js';
import { isLegalPersonHolder } from '../../catalog/personal.js';
import { compileMappingText } from '../../mappings/compile.js';
import { createLicenseMapper } from '../../mappings/license-mapper.js';
import { DEMO_ISSUER, DEMO_TYPE } from '../catalog/fixtures.js';
import { DEMO_MAPPING_FILE } from './fixtures.js';

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
/** The 18-char number with its GB 11643 check char. */
export const withCheck = (first17: string): string =>
  first17 + '10X98765432'.charAt([...first17].reduce((s, d, i) => s + Number(d) * (WEIGHTS[i] ?? 0), 0) % 11);

/** A mapping declaring its holders organisations: `holder.idType` a constant `001`. */
export const ORGANISATION_MAPPING = [
  'fields:',
  '  holder.name: { from: MC }',
  '  holder.idType: { const: "001" }',
  '  holder.id: { from: DM, transform: [trim] }',
  '',
].join('\n');

/**
 * Each id is a person's on a row of ORGANISATION_MAPPING: the row is quarantined for a control
 * char in the name, and its holder.name reason does not show the name.
 */
export function expectPersonHolders(ids: readonly string[]): void {
  for (const id of ids) {
    expect(isLegalPersonHolder('001', id), id).toBe(false);
    const r = compileMappingText(ORGANISATION_MAPPING, '/maps/m.yaml').map({ MC: '欧阳\u0007秀英', DM: id });
    if (r.ok) throw new Error('expected the row to be quarantined');
    expect(r.reasons.find((x) => x.path === 'holder.name')?.code, id).toBe('LB_MAP_CONTROL_CHAR');
    expect(JSON.stringify(r.reasons), id).not.toContain('秀英');
  }
}

/** The demo pipeline's mapper: the demo mapping file and the catalog's demo license type. */
export function demoMapper(catalog: Catalog) {
  return createLicenseMapper({
    pipeline: 'food-business-licenses',
    sourceName: 'market-food',
    mapping: compileMappingText(readFileSync(DEMO_MAPPING_FILE, 'utf8'), DEMO_MAPPING_FILE),
    catalog,
    licenseType: DEMO_TYPE,
    issuer: DEMO_ISSUER,
    areaCode: '370211',
  });
}
