/**
 * A platform whose result fields are string-typed (a gateway serialising every column as text, a
 * `VARCHAR` version column) answers an entry's `version` as its digits: `"version": "2"`. Only a
 * JSON number was read as a version, so every entry of such a platform came back unreadable ('its
 * version is not a number'): each check reported every license it holds as `unreadable-at-platform`
 * and compared none. ASCII digits are now the version they write, leading zeros included (`"002"`
 * from a fixed-width `CHAR` column), as a result `code` in digits is read (../shared/answer-code.ts);
 * anything else written as text (full-width digits, a sign, a decimal point, white space, an
 * exponent) is still no version, and the entry is still unreadable with the field named.
 */
import { describe, expect, it } from 'vitest';
import { fromPlatformEntry } from '../../adapters/platforms/rest-json/platform-entry.js';
import { toPlatformLicense } from '../../adapters/platforms/shared/platform-license.js';
import { contentHash } from '../../catalog/canonical.js';
import { sampleLicense } from './license-fixture.js';

/** The platform's entry of license 1 with its `version` as `version`. */
function entryWith(version: unknown) {
  const license = sampleLicense(1);
  return { licenseId: 'lic-000001', version, license: toPlatformLicense(license, 'issue') };
}

describe('an entry whose version the platform answers as text', () => {
  it.each([
    ['2', 2],
    ['002', 2],
    ['12', 12],
    ['999', 999],
  ])('%j is version %d, and the entry is read as a number version is', (text, version) => {
    const asText = fromPlatformEntry(entryWith(text));
    expect(asText?.version).toBe(version);
    expect(asText?.contentHash).toBe(contentHash(sampleLicense(1)));
    expect(asText).toEqual(fromPlatformEntry(entryWith(version)));
  });

  it.each(['', ' 2', '2 ', '２', '-2', '+2', '2.0', '1e3', '0x2', 'v2', '99999999999999999999'])(
    '%j is no version: the entry is not read',
    (text) => {
      expect(fromPlatformEntry(entryWith(text))).toBeUndefined();
    },
  );

  it('a version of any other type is no version either', () => {
    for (const version of [null, true, [2], { v: 2 }])
      expect(fromPlatformEntry(entryWith(version))).toBeUndefined();
  });
});
