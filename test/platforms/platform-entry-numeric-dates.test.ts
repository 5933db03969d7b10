/**
 * A platform storing its dates as integers (`NUMBER(8)`, `int`) answers `zzbfrq`, `yxqqsrq` and
 * `yxqjzrq` as JSON numbers (`20240301`). Only text was read as a date: the number came back as
 * the text `20240301`, not `2024-03-01`, so every license the platform holds differed from the
 * ledger's, a `platform-content-mismatch` flagged for a person at every check. A number of eight
 * digits is read as the date it writes; any other number stays as it is and still differs.
 */
import { describe, expect, it } from 'vitest';
import { fromPlatformEntry } from '../../adapters/platforms/rest-json/platform-entry.js';
import { toPlatformLicense } from '../../adapters/platforms/shared/platform-license.js';
import { contentHash } from '../../catalog/canonical.js';
import { sampleLicense } from './license-fixture.js';

const DATES = ['zzbfrq', 'yxqqsrq', 'yxqjzrq'] as const;

/** The platform's entry of `license` with each date field passed through `as`. */
function entryWith(license: ReturnType<typeof sampleLicense>, as: (text: string) => unknown) {
  const fields: Record<string, unknown> = { ...toPlatformLicense(license, 'issue') };
  for (const f of DATES) if (fields[f] !== '') fields[f] = as(String(fields[f]));
  return { licenseId: 'lic-000001', version: 1, license: fields };
}

describe('dates the platform answers as numbers', () => {
  it('YYYYMMDD as a number is the date it writes', () => {
    const license = sampleLicense(1);
    expect(license.validTo).not.toBeNull();
    const record = fromPlatformEntry(entryWith(license, Number));
    expect(record?.license).toMatchObject({
      issueDate: license.issueDate,
      validFrom: license.validFrom,
      validTo: license.validTo,
    });
    expect(record?.contentHash).toBe(contentHash(license));
  });

  it('a number that is no eight-digit date still differs', () => {
    const license = sampleLicense(1);
    const record = fromPlatformEntry(entryWith(license, (t) => Number(t.slice(2))));
    expect(record?.contentHash).not.toBe(contentHash(license));
  });
});
