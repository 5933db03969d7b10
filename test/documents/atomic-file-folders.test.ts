// writeFileAtomic flushes the folder the file was renamed into and, when it made folders for the
// file, the parent of each: a new folder's own entry is only on disk once its parent is flushed,
// so without that a power cut could take the folder, and the file in it, after the write returned.
// An exclusive write that fails leaves nothing at the name, nor a temporary file.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { makeTempDir } from '../signers/helpers.js';

const flushed: string[] = [];
let failRename = false;

vi.mock('node:fs/promises', async (importOriginal) => {
  const real = await importOriginal<typeof import('node:fs/promises')>();
  const { openRecordingSyncs } = await import('../support/synced-paths.js');
  return {
    ...real,
    open: openRecordingSyncs(real, (path) => flushed.push(path)),
    rename: async (...args: Parameters<typeof real.rename>) => {
      if (failRename) throw Object.assign(new Error('EIO: i/o error, rename'), { code: 'EIO' });
      return real.rename(...args);
    },
    // An exclusive write puts its file in place with a hard link (which never replaces a file).
    link: async (...args: Parameters<typeof real.link>) => {
      if (failRename) throw Object.assign(new Error('EIO: i/o error, link'), { code: 'EIO' });
      return real.link(...args);
    },
  };
});

const { writeFileAtomic } = await import('../../adapters/documents/atomic-file.js');

describe('writeFileAtomic and the folders it makes', () => {
  let dir: string;
  let cleanup: () => void;
  beforeEach(() => {
    ({ dir, cleanup } = makeTempDir());
    flushed.length = 0;
    failRename = false;
  });
  afterEach(() => cleanup());

  it('flushes the file, its folder, and the parent of every folder it made', async () => {
    const file = join(dir, 'a', 'b', 'seal.esl');
    await writeFileAtomic(file, Buffer.from('x'));
    const folders = flushed.filter((p) => !p.endsWith('.tmp'));
    expect(folders.sort()).toEqual([dir, join(dir, 'a'), join(dir, 'a', 'b')].sort());
    expect(flushed.filter((p) => p.endsWith('.tmp'))).toHaveLength(1);
  });

  it('flushes only the folder when it made none', async () => {
    await writeFileAtomic(join(dir, 'seal.esl'), Buffer.from('x'));
    expect(flushed.filter((p) => !p.endsWith('.tmp'))).toEqual([dir]);
  });

  it('leaves nothing at the name nor a temporary file when an exclusive write fails', async () => {
    const file = join(dir, 'seal.esl');
    failRename = true;
    await expect(writeFileAtomic(file, Buffer.from('x'), { exclusive: true })).rejects.toThrow('EIO');
    expect(readdirSync(dir)).toEqual([]);
    failRename = false;
    await writeFileAtomic(file, Buffer.from('y'), { exclusive: true });
    expect(readFileSync(file, 'utf8')).toBe('y');
  });
});
