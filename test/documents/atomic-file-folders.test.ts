// writeFileAtomic flushes the folder the file was renamed into and, when it made folders for the
// file, the parent of each: a new folder's own entry is only on disk once its parent is flushed,
// so without that a power cut could take the folder, and the file in it, after the write returned.
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { makeTempDir } from '../signers/helpers.js';

const flushed: string[] = [];

vi.mock('node:fs/promises', async (importOriginal) => {
  const real = await importOriginal<typeof import('node:fs/promises')>();
  return {
    ...real,
    open: async (...args: Parameters<typeof real.open>) => {
      const handle = await real.open(...args);
      const sync = handle.sync.bind(handle);
      handle.sync = async () => {
        await sync();
        flushed.push(String(args[0]));
      };
      return handle;
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
});
