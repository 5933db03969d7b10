/**
 * A long-term license (长期) goes to the platform with an empty end date (`yxqjzrq: ""`). A platform
 * built on Java beans reads it back as no value, and writes it `null` (Jackson's default) or leaves
 * the field out (`NON_NULL`, `NON_EMPTY`): read back as the end date `"null"` or `"undefined"`, the
 * license's content at the platform differed from the ledger's, and every long-term license was a
 * `platform-content-mismatch` at every check (docs/reconciliation.md). A license with an end date
 * that the platform answers without one still differs.
 */
import { describe, expect, it } from 'vitest';
import { fromPlatformEntry } from '../../adapters/platforms/rest-json/platform-entry.js';
import { toPlatformLicense } from '../../adapters/platforms/shared/platform-license.js';
import { contentHash } from '../../catalog/canonical.js';
import { sampleLicense } from './license-fixture.js';

/** The platform's entry of `license` with its end date as `given` (`undefined`: left out). */
function entryWith(license: ReturnType<typeof sampleLicense>, given: unknown) {
  const { yxqjzrq: _, ...rest } = toPlatformLicense(license, 'issue');
  return {
    licenseId: 'lic-000002',
    version: 1,
    license: given === undefined ? rest : { ...rest, yxqjzrq: given },
  };
}

describe('a long-term license read back', () => {
  const longTerm = sampleLicense(2);

  it.each([
    ['empty', ''],
    ['null', null],
    ['left out', undefined],
  ])('with its end date %s holds the content the ledger holds', (_name, given) => {
    const record = fromPlatformEntry(entryWith(longTerm, given));
    expect(record?.license.validTo).toBeNull();
    expect(record?.contentHash).toBe(contentHash(longTerm));
  });

  it.each([
    ['null', null],
    ['left out', undefined],
  ])('a license with an end date answered %s still differs', (_name, given) => {
    const dated = sampleLicense(1);
    expect(dated.validTo).not.toBeNull();
    expect(fromPlatformEntry(entryWith(dated, given))?.contentHash).not.toBe(contentHash(dated));
  });
});
