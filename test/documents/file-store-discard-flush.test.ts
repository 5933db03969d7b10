// Discarding the file a killed run left for a version the ledger lists none for removed it, but
// did not flush its folder: after a power cut the removal could be undone, and a sealed license no
// ledger row accounts for came back. discard now flushes each folder it removed a file from, once.
import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
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

const shelfOf = (id: string) => createHash('sm3').update(id).digest('hex').slice(0, 2);

describe('discard flushes the folders it removed files from', () => {
  let dir: string;
  let root: string;
  let cleanup: () => void;
  beforeEach(() => {
    ({ dir, cleanup } = makeTempDir());
    root = join(dir, 'store');
    mkdirSync(root);
    flushed.length = 0;
  });
  afterEach(() => cleanup());

  it('flushes the shelf of a file removed at its path', async () => {
    const store = new LicenseFileStore(root);
    await store.put('T1', 'L.ONE', 1, Buffer.from('unrecorded'));
    flushed.length = 0;
    expect(await store.discard('T1', 'L.ONE', 1)).toBe(true);
    expect(flushed).toEqual([join(root, 'T1', shelfOf('L.ONE'))]);
  });

  it('flushes both folders once when a file went from its shelf and from a folder per license', async () => {
    const store = new LicenseFileStore(root);
    await store.put('T1', 'L.TWO', 3, Buffer.from('unrecorded'));
    mkdirSync(join(root, 'T1', 'L.TWO'));
    writeFileSync(join(root, 'T1', 'L.TWO', '003.ofd'), 'unrecorded, layout before');
    flushed.length = 0;
    expect(await store.discard('T1', 'L.TWO', 3)).toBe(true);
    expect(flushed.sort()).toEqual([join(root, 'T1', 'L.TWO'), join(root, 'T1', shelfOf('L.TWO'))].sort());
  });

  it('flushes nothing when there was no file', async () => {
    const store = new LicenseFileStore(root);
    expect(await store.discard('T1', 'L.NONE', 1)).toBe(false);
    expect(flushed).toEqual([]);
  });
});
