/**
 * A platform whose license status field is an integer answers `zzzt` as a JSON number (`"zzzt": 1`
 * for `01`, valid). Read as the text `1`, which no code of the list is, every such license came
 * back with the status `other`: each check reported every license the platform holds as
 * `status-drift` (docs/reconciliation.md), and a license adopted from the platform was adopted as
 * `other`. A number is the list's code of that value; a number no code (or more than one) has
 * stays `other`, as an unknown code does, and a code written as text is read as before. A number
 * whose digits are a code of the list (`1` where the list has `1`) is that code, as it was read before.
 */
import { describe, expect, it } from 'vitest';
import { fromPlatformEntry } from '../../adapters/platforms/rest-json/platform-entry.js';
import { codeListsFor } from '../../adapters/platforms/shared/code-lists.js';
import { toPlatformLicense } from '../../adapters/platforms/shared/platform-license.js';
import { contentHash } from '../../catalog/canonical.js';
import type { License } from '../../catalog/license.js';
import { sampleLicense } from './license-fixture.js';

/** The platform's entry of `license` with its `zzzt` as `zzzt`. */
function entryWith(license: License, zzzt: unknown) {
  return { licenseId: 'lic-000001', version: 1, license: { ...toPlatformLicense(license, 'issue'), zzzt } };
}

describe('a license status the platform answers as a number', () => {
  it.each([
    [1, 'valid'],
    [2, 'suspended'],
    [7, 'revoked'],
    [99, 'other'],
  ] as const)('%d is the status of that code', (zzzt, status) => {
    const license: License = { ...sampleLicense(1), status };
    const record = fromPlatformEntry(entryWith(license, zzzt));
    expect(record?.status).toBe(status);
    expect(record?.contentHash).toBe(contentHash(license));
  });

  it('the text `01` is still valid, and `1` as text is no code of the list', () => {
    const license = sampleLicense(1);
    expect(fromPlatformEntry(entryWith(license, '01'))?.status).toBe('valid');
    expect(fromPlatformEntry(entryWith(license, '1'))?.status).toBe('other');
  });

  it('a number no code has, or not a whole one, is `other`', () => {
    const license = sampleLicense(1);
    for (const zzzt of [42, 1.5, -1])
      expect(fromPlatformEntry(entryWith(license, zzzt))?.status).toBe('other');
  });

  it('a number whose digits are a code of the list is that code; one two codes have is `other`', () => {
    const license = sampleLicense(1);
    const digits = codeListsFor({ status: { valid: '1', suspended: '01' } });
    expect(fromPlatformEntry(entryWith(license, 1), digits)?.status).toBe('valid');
    const twice = codeListsFor({ status: { valid: '01', suspended: '001' } });
    expect(fromPlatformEntry(entryWith(license, 1), twice)?.status).toBe('other');
    expect(fromPlatformEntry(entryWith(license, '001'), twice)?.status).toBe('suspended');
  });
});
