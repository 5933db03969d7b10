// An issuing run takes the store's lock first, and the lock makes the store's root when it is not
// there yet (`mkdir -p`). The files of the run's batches are flushed, and so is every folder the
// batch writer makes — but the root was already there by then, so its own entry in its parent
// (and the entries of any folder made above it) was never flushed: a power cut could take the
// whole new store, every file the ledger had just recorded in it, after the run reported them
// issued. The lock flushes the parent of each folder it makes.
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { makeTempDir } from '../signers/helpers.js';

const flushed: string[] = [];

vi.mock('node:fs/promises', async (importOriginal) => {
  const real = await importOriginal<typeof import('node:fs/promises')>();
  const { openRecordingSyncs } = await import('../support/synced-paths.js');
  return {
    ...real,
    open: openRecordingSyncs(real, (path) => flushed.push(path)),
  };
});

const { LicenseFileStore } = await import('../../adapters/documents/file-store.js');

describe('the file store lock and the folders it makes', () => {
  let dir: string;
  let cleanup: () => void;
  beforeEach(() => {
    ({ dir, cleanup } = makeTempDir());
    flushed.length = 0;
  });
  afterEach(() => cleanup());

  it('flushes the parent of every folder it made for the store root', async () => {
    const root = join(dir, 'data', 'files');
    const release = await new LicenseFileStore(root).lock();
    await release();
    expect(flushed.sort()).toEqual([dir, join(dir, 'data')].sort());
  });

  it('flushes nothing when the root was there', async () => {
    const root = join(dir, 'files');
    await (await new LicenseFileStore(root).lock())();
    flushed.length = 0;
    await (await new LicenseFileStore(root).lock())();
    expect(flushed).toEqual([]);
  });
});
