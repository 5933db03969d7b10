/**
 * Derived expiry in the row → license stage, and its precedence: only a license the source calls
 * valid becomes expired once its last valid day has passed; revoked, cancelled and suspended keep
 * their status; a long-term license never expires; without a today (expiry off) nothing changes.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { type Catalog, loadCatalog } from '../../catalog/catalog.js';
import { compileMapping } from '../../mappings/compile.js';
import { createLicenseMapper, type LicenseMapperOptions } from '../../mappings/license-mapper.js';
import { DEMO_CATALOG_DIR, DEMO_ISSUER, DEMO_TYPE } from '../catalog/fixtures.js';
import { DEMO_MAPPING_FILE, demoValues } from '../mappings/fixtures.js';

let options: LicenseMapperOptions;
beforeAll(async () => {
  const catalog: Catalog = await loadCatalog(DEMO_CATALOG_DIR);
  options = {
    pipeline: 'food-business-licenses',
    sourceName: 'market-food',
    mapping: await compileMapping(DEMO_MAPPING_FILE),
    catalog,
    licenseType: DEMO_TYPE,
    issuer: DEMO_ISSUER,
    areaCode: '370211',
  };
});

// The demo mapping's ZT codes: 1 valid, 0 revoked, 2 suspended, 3 cancelled; YXQZ is the last valid day.
const CASES: [zt: string, yxqz: string, today: string | undefined, status: string][] = [
  ['1', '20260314', '2026-03-14', 'valid'], // its last valid day
  ['1', '20260314', '2026-03-15', 'expired'], // the day after
  ['1', '00000000', '2099-01-01', 'valid'], // long-term
  ['0', '20260314', '2026-03-15', 'revoked'],
  ['2', '20260314', '2026-03-15', 'suspended'],
  ['3', '20260314', '2026-03-15', 'cancelled'],
  ['1', '20220101', undefined, 'valid'], // expiry off: the source alone decides
];

describe('derived expiry and its precedence', () => {
  it.each(CASES)('ZT %s, YXQZ %s, today %s → %s', (zt, yxqz, today, status) => {
    const mapper = createLicenseMapper({ ...options, ...(today ? { today: () => today } : {}) });
    const r = mapper({ key: '1', values: demoValues({ ZT: zt, YXQZ: yxqz }) }, 'run');
    if (!r.ok) throw new Error(JSON.stringify(r.reasons));
    expect(r.candidate.status).toBe(status);
    expect(r.candidate.build(1).status).toBe(status);
  });

  it('gives an expired license the same content whatever day after its date it is mapped on', () => {
    const on = (today: string) =>
      createLicenseMapper({ ...options, today: () => today })({ key: '1', values: demoValues() }, 'run');
    const a = on('2026-03-15');
    const b = on('2027-01-01');
    if (!a.ok || !b.ok) throw new Error('mapping failed');
    expect(a.candidate.contentHash).toBe(b.candidate.contentHash);
  });
});
