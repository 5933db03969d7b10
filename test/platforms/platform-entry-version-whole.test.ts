/**
 * A license's versions are numbered 1, 2, 3… (the last part of its GB/T 36904 identifier). A
 * platform entry's `version` written as a JSON number was taken as it came: `2.5`, `-1` and `0` were
 * read as versions and compared with the ledger's as if the platform held such a version. Digits
 * written as text were read only as digits, so `"0"` was version 0 too. A version is now a whole
 * number from 1 that a number holds exactly, as the number or its digits; anything else leaves the
 * entry unread (the listing and the lookup give it as unreadable, naming the version's shape).
 */
import { describe, expect, it } from 'vitest';
import { fromPlatformEntry } from '../../adapters/platforms/rest-json/platform-entry.js';
import { toPlatformLicense } from '../../adapters/platforms/shared/platform-license.js';
import { sampleLicense } from './license-fixture.js';

/** The platform's entry of license 1 with its `version` as `version`. */
function entryWith(version: unknown) {
  return { licenseId: 'lic-000001', version, license: toPlatformLicense(sampleLicense(1), 'issue') };
}

describe('an entry whose version is no whole number from 1', () => {
  it.each([2.5, 0.5, -1, -2.5, 0, -0, 2 ** 53, 1e300, '0', '000'])(
    '%j is no version: the entry is not read',
    (v) => {
      expect(fromPlatformEntry(entryWith(v))).toBeUndefined();
    },
  );

  it.each([1, 2, 1.0, 2 ** 53 - 1, '1', '007'])('%j is a version, and the entry is read', (v) => {
    expect(fromPlatformEntry(entryWith(v))?.version).toBe(Number(v));
  });
});
