/**
 * A version read back parses its payload when first asked for, once (toVersion in
 * ledger/rows.ts): a version read for its ids or hash holds the text only. A text that does not
 * read fails, where it is first asked for, as a ledger failure.
 */
import { describe, expect, it } from 'vitest';
import { ErrorCodes, isLicbridgeError } from '../../core/errors.js';
import { toVersion, type VersionRow } from '../../ledger/rows.js';
import { thrownBy } from '../support/unquoted-failures.js';
import { versionRow } from './fixtures.js';

const row = (payload: string): VersionRow => versionRow({ payload });

describe('the payload of a version read back', () => {
  it('is read when first asked for, as it was written, and is the same license each time', () => {
    const version = toVersion(row('{"number":"N1","holder":{"name":"x"}}'));
    expect(version.contentHash).toBe('h');
    const payload = version.payload;
    expect(JSON.stringify(payload)).toBe('{"identifier":"ID-1","number":"N1","holder":{"name":"x"}}');
    expect(version.payload).toBe(payload);
    // Spread and serialised like any own member.
    expect(JSON.stringify({ ...version }.payload)).toBe(JSON.stringify(payload));
    expect(Object.keys(version)).toContain('payload');
  });

  it('fails as the ledger does where a text that does not read is first asked for', () => {
    const version = toVersion(row('{not json'));
    expect(version.versionId).toBe(9);
    const thrown: unknown = thrownBy(() => version.payload);
    expect(isLicbridgeError(thrown)).toBe(true);
    expect((thrown as { code: string }).code).toBe(ErrorCodes.LEDGER);
    expect((thrown as Error).message).toBe('ledger: the payload of version 9 does not read: SyntaxError');
  });

  it('can be given a license in its place', () => {
    const version = toVersion(row('{"number":"N1"}'));
    const license = { identifier: 'ID-2' } as unknown as typeof version.payload;
    version.payload = license;
    expect(version.payload).toBe(license);
  });
});
