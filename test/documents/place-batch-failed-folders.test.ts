// A batch that fails still flushes the folders it made. The writing thread remembers the folders
// it made (place-batch.ts), and a later batch into one of them neither makes it again nor
// flushes its parent; a failed batch returned before flushing anything, so the entries of the
// folders it had made were never flushed at all. The files of the next batch into them — which
// succeeds, and which the ledger records — could be lost with their folder at a power cut.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { placeBatch } from '../../adapters/documents/place-batch.js';
import { makeTempDir } from '../signers/helpers.js';

/**
 * The real fs, its folder flushes (on the thread or through the pool) written down, failing every
 * write to a file named `bad…`.
 */
function failingFs(): { fs: typeof fs; flushed: string[] } {
  const flushed: string[] = [];
  const paths = new Map<number, string>();
  const wrapped = {
    ...fs,
    openSync: (p: fs.PathLike, flags: fs.OpenMode, mode?: fs.Mode) => {
      const fd = fs.openSync(p, flags, mode);
      paths.set(fd, String(p));
      return fd;
    },
    writeSync: (fd: number, ...rest: unknown[]) => {
      if (path.basename(paths.get(fd) ?? '').startsWith('.bad'))
        throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
      return (fs.writeSync as (...a: unknown[]) => number)(fd, ...rest);
    },
    fsync: (fd: number, done: (e: NodeJS.ErrnoException | null) => void) =>
      fs.fsync(fd, (e) => {
        const p = paths.get(fd) as string;
        if (!p.endsWith('.tmp')) flushed.push(p);
        done(e);
      }),
    // A flush that returns at once is made on the thread (place-batch-flushes.test.ts).
    fsyncSync: (fd: number) => {
      fs.fsyncSync(fd);
      const p = paths.get(fd) as string;
      if (!p.endsWith('.tmp')) flushed.push(p);
    },
  } as typeof fs;
  return { fs: wrapped, flushed };
}

describe('a batch that fails', () => {
  let dir: string;
  let cleanup: () => void;
  beforeEach(() => {
    ({ dir, cleanup } = makeTempDir());
  });
  afterEach(() => cleanup());

  it('flushes the parents of the folders it made, which the next batch into them does not', async () => {
    const { fs: failing, flushed } = failingFs();
    const shelf = join(dir, 'store', 'T1', 'ab');
    const first = await placeBatch(failing, path, {
      files: [
        { path: join(shelf, 'good.ofd'), data: Buffer.from('good') },
        { path: join(shelf, 'bad.ofd'), data: Buffer.from('bad') },
      ],
      mode: 0o600,
      tag: 'f1',
    });
    expect(first?.code).toBe('ENOSPC');
    const second = await placeBatch(failing, path, {
      files: [{ path: join(shelf, 'next.ofd'), data: Buffer.from('next') }],
      mode: 0o600,
      tag: 'f2',
    });
    expect(second).toBeUndefined();
    expect(fs.readFileSync(join(shelf, 'next.ofd'), 'utf8')).toBe('next');
    // Each folder made (store, T1, ab) is an entry of its parent: each parent flushed, and the shelf.
    for (const folder of [dir, join(dir, 'store'), join(dir, 'store', 'T1'), shelf])
      expect(flushed, folder).toContain(folder);
  });
});
