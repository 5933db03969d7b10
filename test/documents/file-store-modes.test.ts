// License files hold personal data — the holder's name and ID number are on the face, stored
// uncompressed in the page of the OFD — so the store writes them owner-only, as the ledger and
// reconciliation reports are: files 0600 in folders 0700. With the usual umask 022 they were
// created 0644 in folders 0755, readable by every local user of the host.
import { statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LicenseFileStore, type StoredFile } from '../../adapters/documents/file-store.js';
import { makeTempDir } from '../signers/helpers.js';

/** A license's shelf in the store: two hex digits of SM3 over its id. */

const mode = (path: string) => (statSync(path).mode & 0o777).toString(8);

describe('the license file store is owner-only', () => {
  let dir: string;
  let cleanup: () => void;
  let umask: number;
  beforeEach(() => {
    ({ dir, cleanup } = makeTempDir());
    // The usual umask, whatever the runner's own is; put back after (unit files share a process).
    umask = process.umask(0o022);
  });
  afterEach(() => {
    process.umask(umask);
    cleanup();
  });

  it('a batch of files, their folders and a store root made by the issuing lock', async () => {
    const root = join(dir, 'files');
    const store = new LicenseFileStore(root);
    const release = await store.lock();
    let stored: StoredFile[] = [];
    try {
      stored = await store.putMany([
        { typeCode: 'T1', licenseId: 'L.1', version: 1, bytes: Buffer.from('first') },
        { typeCode: 'T1', licenseId: 'L.2', version: 2, bytes: Buffer.from('second') },
      ]);
    } finally {
      await release();
    }
    expect(mode(root)).toBe('700');
    expect(mode(join(root, 'T1'))).toBe('700');
    expect(mode(dirname(join(root, stored[0]?.path ?? '')))).toBe('700');
    expect(stored.map((s) => mode(join(root, s.path)))).toEqual(['600', '600']);
  });

  it('a single file, its folders, and a file of the same version written again', async () => {
    const root = join(dir, 'single');
    const store = new LicenseFileStore(root);
    const one = await store.put('T1', 'L.1', 1, Buffer.from('one'));
    expect(mode(join(root, 'T1'))).toBe('700');
    expect(mode(dirname(join(root, one.path)))).toBe('700');
    expect(mode(join(root, one.path))).toBe('600');
    const [again] = await store.putMany([
      { typeCode: 'T1', licenseId: 'L.1', version: 1, bytes: Buffer.from('again') },
    ]);
    expect(mode(join(root, again?.path ?? ''))).toBe('600');
  });
});
