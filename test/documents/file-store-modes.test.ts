// License files hold personal data — the holder's name and ID number are on the face, stored
// uncompressed in the page of the OFD — so the store writes them owner-only, as the ledger and
// reconciliation reports are: files 0600 in folders 0700. With the usual umask 022 they were
// created 0644 in folders 0755, readable by every local user of the host.
import { createHash } from 'node:crypto';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LicenseFileStore } from '../../adapters/documents/file-store.js';
import { makeTempDir } from '../signers/helpers.js';

/** A license's shelf in the store: two hex digits of SM3 over its id. */
const shelfOf = (id: string) => createHash('sm3').update(id).digest('hex').slice(0, 2);

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
    try {
      await store.putMany([
        { typeCode: 'T1', licenseId: 'L.1', version: 1, bytes: Buffer.from('first') },
        { typeCode: 'T1', licenseId: 'L.2', version: 2, bytes: Buffer.from('second') },
      ]);
    } finally {
      await release();
    }
    expect(mode(root)).toBe('700');
    expect(mode(join(root, 'T1'))).toBe('700');
    expect(mode(join(root, 'T1', shelfOf('L.1')))).toBe('700');
    expect(mode(join(root, 'T1', shelfOf('L.1'), 'L.1.001.ofd'))).toBe('600');
    expect(mode(join(root, 'T1', shelfOf('L.2'), 'L.2.002.ofd'))).toBe('600');
  });

  it('a single file, its folders, and a file that replaces one written before', async () => {
    const root = join(dir, 'single');
    const store = new LicenseFileStore(root);
    await store.put('T1', 'L.1', 1, Buffer.from('one'));
    expect(mode(join(root, 'T1'))).toBe('700');
    expect(mode(join(root, 'T1', shelfOf('L.1')))).toBe('700');
    expect(mode(join(root, 'T1', shelfOf('L.1'), 'L.1.001.ofd'))).toBe('600');
    await store.putMany([{ typeCode: 'T1', licenseId: 'L.1', version: 1, bytes: Buffer.from('again') }]);
    expect(mode(join(root, 'T1', shelfOf('L.1'), 'L.1.001.ofd'))).toBe('600');
  });
});
