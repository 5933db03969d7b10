/**
 * The xml-files connector's encoding of a file read, in the ledger's opaque connector state: it
 * round-trips, carries its version, and anything it cannot vouch for reads as "not recorded" (so
 * the file is read again rather than skipped).
 */
import { describe, expect, it } from 'vitest';
import { decodeFileState, encodeFileState } from '../../connectors/xml-files/files-read.js';

const SHA = 'ab'.repeat(32);

describe('xml-files state values', () => {
  it('round-trips a fingerprint, with the version in the value and the name as the key', () => {
    const value = encodeFileState({ name: 'E001.xml', size: 1234, sha256: SHA });
    expect(JSON.parse(value)).toEqual({ v: 1, size: 1234, sha256: SHA });
    expect(decodeFileState('E001.xml', value)).toEqual({ name: 'E001.xml', size: 1234, sha256: SHA });
  });

  it('reads the form ledger migration 021 wrote for the old files-read rows', () => {
    expect(decodeFileState('E9.xml', `{"v":1,"size":0,"sha256":"${SHA}"}`)).toEqual({
      name: 'E9.xml',
      size: 0,
      sha256: SHA,
    });
  });

  it.each([
    ['another version', `{"v":2,"size":1,"sha256":"${SHA}"}`],
    ['no version', `{"size":1,"sha256":"${SHA}"}`],
    ['a size that is not a count', `{"v":1,"size":"1","sha256":"${SHA}"}`],
    ['a hash that is not SHA-256 hex', '{"v":1,"size":1,"sha256":"xyz"}'],
    ['not JSON', 'E001.xml'],
    ['JSON that is not an object', 'null'],
  ])('treats %s as not recorded', (_, value) => {
    expect(decodeFileState('E001.xml', value)).toBeNull();
  });
});
