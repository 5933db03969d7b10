// Placing a batch of files on the store's writing thread keeps writeFileAtomic's guarantees: a
// file reaches its path only after its bytes are flushed, the folders a rename went into (and the
// parents of folders made for the batch) are flushed before the batch counts as done, and a file
// that cannot be placed leaves no temporary file and does not stop the others.
import * as fs from 'node:fs';
import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { writeFilesAtomic } from '../../adapters/documents/atomic-file.js';
import { placeBatch } from '../../adapters/documents/place-batch.js';
import { makeTempDir } from '../signers/helpers.js';

function allFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name))
    .sort();
}

/**
 * The real fs, with the calls that decide durability written down in order (a flush made on the
 * thread or through the pool alike).
 */
function recordingFs(): { fs: typeof fs; events: string[] } {
  const events: string[] = [];
  const paths = new Map<number, string>();
  const recording = {
    ...fs,
    openSync: (p: fs.PathLike, flags: fs.OpenMode, mode?: fs.Mode) => {
      const fd = fs.openSync(p, flags, mode);
      paths.set(fd, String(p));
      return fd;
    },
    fsync: (fd: number, done: (e: NodeJS.ErrnoException | null) => void) =>
      fs.fsync(fd, (e) => {
        events.push(`fsync ${paths.get(fd)}`);
        done(e);
      }),
    // A flush that returns at once is made on the thread (place-batch-flushes.test.ts).
    fsyncSync: (fd: number) => {
      fs.fsyncSync(fd);
      events.push(`fsync ${paths.get(fd)}`);
    },
    renameSync: (from: fs.PathLike, to: fs.PathLike) => {
      fs.renameSync(from, to);
      events.push(`rename ${String(from)} ${String(to)}`);
    },
  } as typeof fs;
  return { fs: recording, events };
}

describe('placing a batch of files', () => {
  let dir: string;
  let cleanup: () => void;
  beforeEach(() => {
    ({ dir, cleanup } = makeTempDir());
  });
  afterEach(() => cleanup());

  it('flushes each file before its rename, then every folder a rename went into and the parents of new folders', async () => {
    mkdirSync(join(dir, 'T1/L.1'), { recursive: true });
    const files = [
      { path: join(dir, 'T1/L.1/001.ofd'), data: Buffer.from('one') },
      { path: join(dir, 'T1/L.2/001.ofd'), data: Buffer.from('two') },
      { path: join(dir, 'T2/L.3/001.ofd'), data: Buffer.from('three') },
    ];
    const { fs: recording, events } = recordingFs();
    expect(await placeBatch(recording, path, { files, mode: 0o644, tag: 't' })).toBeUndefined();
    expect(allFiles(dir)).toEqual(files.map((f) => f.path).sort());
    expect(files.map((f) => readFileSync(f.path, 'utf8'))).toEqual(['one', 'two', 'three']);
    for (const f of files) {
      const renamed = events.findIndex((e) => e.startsWith('rename ') && e.endsWith(` ${f.path}`));
      const tmp = (events[renamed] as string).split(' ')[1] as string;
      expect(events.indexOf(`fsync ${tmp}`)).toBeGreaterThanOrEqual(0);
      expect(events.indexOf(`fsync ${tmp}`)).toBeLessThan(renamed);
    }
    const lastRename = events.findLastIndex((e) => e.startsWith('rename '));
    const folders = events.slice(lastRename + 1).map((e) => e.replace(/^fsync /, ''));
    // The license folders (renames), the type folders of the new license folders, the root (T2 is new).
    expect(folders.sort()).toEqual(
      [
        dir,
        join(dir, 'T1'),
        join(dir, 'T1/L.1'),
        join(dir, 'T1/L.2'),
        join(dir, 'T2'),
        join(dir, 'T2/L.3'),
      ].sort(),
    );
  });

  it('places a batch larger than the files it keeps open at once, each flushed before its rename', async () => {
    const files = Array.from({ length: 7 }, (_, i) => ({
      path: join(dir, `T/L.${i}/001.ofd`),
      data: Buffer.from(`file ${i}`),
    }));
    const { fs: recording, events } = recordingFs();
    expect(await placeBatch(recording, path, { files, mode: 0o644, tag: 't', chunk: 3 })).toBeUndefined();
    expect(allFiles(dir)).toEqual(files.map((f) => f.path).sort());
    for (const f of files) {
      const renamed = events.findIndex((e) => e.startsWith('rename ') && e.endsWith(` ${f.path}`));
      const tmp = (events[renamed] as string).split(' ')[1] as string;
      expect(events.indexOf(`fsync ${tmp}`)).toBeLessThan(renamed);
      expect(events.indexOf(`fsync ${tmp}`)).toBeGreaterThanOrEqual(0);
    }
    const lastRename = events.findLastIndex((e) => e.startsWith('rename '));
    const flushedFolders = events.slice(lastRename + 1).map((e) => e.replace(/^fsync /, ''));
    expect(flushedFolders.sort()).toEqual(
      [dir, join(dir, 'T'), ...files.map((f) => path.dirname(f.path))].sort(),
    );
  });

  it('makes a folder once, and again when it was removed since, flushing its parent then', async () => {
    const file = (shelf: string, n: number) => ({
      path: join(dir, `T/${shelf}/L.${n}.001.ofd`),
      data: Buffer.from(`${shelf} ${n}`),
    });
    expect(await placeBatch(fs, path, { files: [file('0a', 1), file('0b', 2)], mode: 0o600, tag: 'a' })).toBe(
      undefined,
    );
    // Taken away by hand between two batches: the shelf, and the type folder with the other one.
    fs.rmSync(join(dir, 'T/0a'), { recursive: true });
    const first = recordingFs();
    const again = [file('0a', 3)];
    expect(await placeBatch(first.fs, path, { files: again, mode: 0o600, tag: 'b' })).toBeUndefined();
    fs.rmSync(join(dir, 'T'), { recursive: true });
    const second = recordingFs();
    const both = [file('0a', 4), file('0b', 5)];
    expect(await placeBatch(second.fs, path, { files: both, mode: 0o600, tag: 'c' })).toBeUndefined();
    expect(allFiles(dir)).toEqual(both.map((f) => f.path).sort());
    expect(both.map((f) => readFileSync(f.path, 'utf8'))).toEqual(['0a 4', '0b 5']);
    // Made again, each is a new entry in its parent, flushed after the renames as on first use.
    for (const [{ events }, folders] of [
      [first, [join(dir, 'T'), join(dir, 'T/0a')]],
      [second, [dir, join(dir, 'T'), join(dir, 'T/0a'), join(dir, 'T/0b')]],
    ] as const) {
      const lastRename = events.findLastIndex((e) => e.startsWith('rename '));
      expect(lastRename).toBeGreaterThanOrEqual(0);
      const flushed = events.slice(lastRename + 1).map((e) => e.replace(/^fsync /, ''));
      expect(flushed.sort()).toEqual([...folders].sort());
    }
  });

  it('places the files it can, leaves no temporary file, and reports the one it cannot', async () => {
    // A folder where the second file should go: its temporary file is written, the rename fails.
    mkdirSync(join(dir, 'T1/L.2/001.ofd/inside'), { recursive: true });
    const files = ['L.1', 'L.2', 'L.3'].map((id) => ({
      path: join(dir, `T1/${id}/001.ofd`),
      data: Buffer.from(id),
    }));
    const failed = await writeFilesAtomic(files).then(
      () => undefined,
      (e: NodeJS.ErrnoException) => e,
    );
    expect(failed).toBeInstanceOf(Error);
    expect(failed?.code).toMatch(/^(EISDIR|ENOTEMPTY|EEXIST)$/);
    expect(failed?.message).toContain('001.ofd');
    expect(allFiles(dir)).toEqual([join(dir, 'T1/L.1/001.ofd'), join(dir, 'T1/L.3/001.ofd')]);
  });

  it('writes batches one after another and side by side on the same thread', async () => {
    const batch = (n: number) =>
      Array.from({ length: 20 }, (_, i) => ({
        path: join(dir, `T/B${n}.${i}/001.ofd`),
        data: Buffer.from(`${n}.${i}`),
      }));
    await Promise.all([writeFilesAtomic(batch(1)), writeFilesAtomic(batch(2))]);
    await writeFilesAtomic(batch(3));
    const all = allFiles(dir);
    expect(all).toHaveLength(60);
    for (const f of all) expect(readFileSync(f, 'utf8')).toBe(f.split('/').at(-2)?.slice(1));
  });

  it('writes each batch as its own bytes when a smaller one follows a larger one', async () => {
    const batch = (n: number, size: number) =>
      Array.from({ length: 5 }, (_, i) => ({
        path: join(dir, `T/S${n}.${i}/001.ofd`),
        data: Buffer.alloc(size - i, `${n}`),
      }));
    for (const [n, size] of [
      [1, 4000],
      [2, 1000],
      [3, 3000],
      [4, 10],
    ] as const) {
      const files = batch(n, size);
      await writeFilesAtomic(files);
      for (const f of files) expect(readFileSync(f.path).equals(f.data)).toBe(true);
    }
  });
});
