/**
 * A sample license (`render --sample`) is valid from its issue date for the catalog entry's
 * `validity` (`5年`) to the day before the same date N years on, its last valid day: lifecycle
 * counts a license valid to the end of its `validTo` day (docs/lifecycle.md, Expiry), and the demo
 * data are dated so (examples/west-coast/generate-legacy-db.ts). Issued on 29 February, the next
 * term starts on 1 March of a common year, so 28 February is the last day; it was 27 February
 * ("28 February minus one day"), a day of the validity lost.
 */
import { describe, expect, it } from 'vitest';
import type { CatalogEntry } from '../../catalog/catalog.js';
import { sampleLicense } from '../../pipelines/render-face.js';

const ISSUER = { name: '青岛西海岸新区市场监督管理局', code: '11370211MB12345672' };

function entry(validity: string): CatalogEntry {
  return {
    code: '11370200MB12345674001',
    name: '食品经营许可证',
    validity,
    surface: { type: 'object', properties: {} },
  } as unknown as CatalogEntry;
}

describe('a sample license valid for N years', () => {
  it.each([
    ['2028-02-29', '5年', '2033-02-28'],
    ['2028-02-29', '4年', '2032-02-28'],
    ['2028-02-29', '1年', '2029-02-28'],
    ['2028-02-28', '1年', '2029-02-27'],
    ['2027-03-01', '5年', '2032-02-29'],
    ['2026-03-01', '1年', '2027-02-28'],
    ['2026-01-01', '5年', '2030-12-31'],
    ['2026-12-05', '3 年', '2029-12-04'],
  ])('issued %s for %s is valid to %s', (today, validity, validTo) => {
    const license = sampleLicense(entry(validity), ISSUER, today);
    expect(license.validFrom).toBe(today);
    expect(license.validTo).toBe(validTo);
  });

  it('has no end without a validity in years', () => {
    expect(sampleLicense(entry('长期'), ISSUER, '2028-02-29').validTo).toBeNull();
  });
});
