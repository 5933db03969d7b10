// writeFileAtomic flushes the folders it made even when the write fails. A later write into the
// same folder finds it there and flushes only the folder itself, not its parent: had the failed
// write left the new folder's entry unflushed, the later file — written, flushed, reported done —
// could be lost with its folder at a power cut.
import { readFileSync } from 'node:fs';
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
  };
});

const { writeFileAtomic } = await import('../../adapters/documents/atomic-file.js');

describe('writeFileAtomic after a failed write', () => {
  let dir: string;
  let cleanup: () => void;
  beforeEach(() => {
    ({ dir, cleanup } = makeTempDir());
    flushed.length = 0;
    failRename = false;
  });
  afterEach(() => cleanup());

  it('has flushed the parents of the folders the failed write made', async () => {
    const folder = join(dir, 'a', 'b');
    failRename = true;
    await expect(writeFileAtomic(join(folder, 'first.esl'), Buffer.from('x'))).rejects.toThrow('EIO');
    failRename = false;
    await writeFileAtomic(join(folder, 'second.esl'), Buffer.from('y'));
    expect(readFileSync(join(folder, 'second.esl'), 'utf8')).toBe('y');
    for (const parent of [dir, join(dir, 'a'), folder]) expect(flushed, parent).toContain(parent);
  });
});
