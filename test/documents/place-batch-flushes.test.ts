// Where the writing thread makes its flushes. A flush sent through libuv's pool is a round trip of
// two threads (and, on one core, two switches between them) for a call that returns at once where
// nothing waits for a disk (tmpfs, a cache that needs no flush): it cost more than the flush. Such
// flushes are made on the thread itself; once flushes wait for the disk, they go through the pool
// again, side by side, so a batch's flushes still share the disk's time. Either way each file is
// flushed before its rename.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { placeBatch } from '../../adapters/documents/place-batch.js';
import { makeTempDir } from '../signers/helpers.js';

/**
 * The real fs, but for the flushes: those made on the thread (`fsyncSync`) move the clock given to
 * `placeBatch` on by `disk.waitUs` (what the thread would measure; no real time passes), those
 * through the pool (`fsync`) answer after `pooledMs`; both written down with the renames, in
 * order, and the pool's flushes in flight at once counted.
 */
function timedFs(waitUs: number, pooledMs: number) {
  const events: string[] = [];
  const paths = new Map<number, string>();
  let inFlight = 0;
  let now = 0n;
  const disk = { waitUs };
  const clock = (): bigint => now;
  const seen = { mostInFlight: 0, onThread: 0, pooled: 0 };
  const timed = {
    ...fs,
    openSync: (p: fs.PathLike, flags: fs.OpenMode, mode?: fs.Mode) => {
      const fd = fs.openSync(p, flags, mode);
      paths.set(fd, String(p));
      return fd;
    },
    fsyncSync: (fd: number) => {
      now += BigInt(disk.waitUs) * 1000n;
      seen.onThread++;
      events.push(`fsync ${paths.get(fd)}`);
    },
    fsync: (fd: number, done: (e: NodeJS.ErrnoException | null) => void) => {
      inFlight++;
      seen.mostInFlight = Math.max(seen.mostInFlight, inFlight);
      setTimeout(() => {
        inFlight--;
        seen.pooled++;
        events.push(`fsync ${paths.get(fd)}`);
        done(null);
      }, pooledMs);
    },
    renameSync: (from: fs.PathLike, to: fs.PathLike) => {
      fs.renameSync(from, to);
      events.push(`rename ${String(from)} ${String(to)}`);
    },
  } as typeof fs;
  return { fs: timed, clock, disk, events, seen };
}

/** Each file's temporary file flushed before it was renamed to the file's path. */
function flushedBeforeRenamed(events: readonly string[], files: readonly { path: string }[]): void {
  for (const f of files) {
    const renamed = events.findIndex((e) => e.startsWith('rename ') && e.endsWith(` ${f.path}`));
    expect(renamed).toBeGreaterThanOrEqual(0);
    const tmp = (events[renamed] as string).split(' ')[1] as string;
    expect(events.indexOf(`fsync ${tmp}`)).toBeGreaterThanOrEqual(0);
    expect(events.indexOf(`fsync ${tmp}`)).toBeLessThan(renamed);
  }
}

describe('the flushes of a batch', () => {
  let dir: string;
  let cleanup: () => void;
  const thread = globalThis as { licbridgeFlushes?: unknown };
  beforeEach(() => {
    ({ dir, cleanup } = makeTempDir());
    // What this thread learnt of the disk's flushes in the tests before.
    delete thread.licbridgeFlushes;
  });
  afterEach(() => {
    delete thread.licbridgeFlushes;
    cleanup();
  });

  const batch = (name: string) =>
    Array.from({ length: 8 }, (_, i) => ({
      path: join(dir, `T/${name}${i % 3}/L.${i}.001.ofd`),
      data: Buffer.from(`${name} ${i}`),
    }));

  it('are made on the writing thread while they return at once, each file before its rename', async () => {
    const { fs: quick, clock, events, seen } = timedFs(0, 5);
    for (const name of ['a', 'b']) {
      const files = batch(name);
      expect(await placeBatch(quick, path, { files, mode: 0o600, tag: name }, clock)).toBeUndefined();
      flushedBeforeRenamed(events, files);
      for (const f of files) expect(fs.readFileSync(f.path, 'utf8')).toBe(`${name} ${f.path.at(-9)}`);
    }
    expect(seen.pooled).toBe(0);
    // Two batches of eight files; the first's three shelves, the type folder made with them and the
    // root it went into; the second's three shelves and the type folder they went into.
    expect(seen.onThread).toBe(2 * 8 + (3 + 2) + (3 + 1));
  });

  it('go through the pool side by side once they wait for the disk, each before its rename', async () => {
    const { fs: waiting, clock, events, seen } = timedFs(3000, 20);
    const files = batch('w');
    expect(await placeBatch(waiting, path, { files, mode: 0o600, tag: 'w' }, clock)).toBeUndefined();
    flushedBeforeRenamed(events, files);
    // Two that waited on the thread tell it so; the rest of the batch is in flight together, but
    // for the last of the files and the last of the folders, still timed on the thread (they
    // waited: the pool keeps the flushes).
    expect(seen.onThread).toBe(2 + 1 + 1);
    expect(seen.mostInFlight).toBe(files.length - 3);
    const next = batch('x');
    expect(await placeBatch(waiting, path, { files: next, mode: 0o600, tag: 'x' }, clock)).toBeUndefined();
    flushedBeforeRenamed(events, next);
    // Eight files, three shelves and their type folder: all but the last file and folder pooled.
    expect([seen.pooled, seen.onThread]).toEqual([5 + 4 + (7 + 3), 2 + 1 + 1 + (1 + 1)]);
  });

  it('come back to the writing thread once they return at once again, each before its rename', async () => {
    // Two flushes that waited — the disk busy a moment, or the thread losing its core in both —
    // and then a long run of files on a disk whose flushes return at once.
    const { fs: once, clock, disk, events, seen } = timedFs(3000, 5);
    const slow = batch('s');
    expect(await placeBatch(once, path, { files: slow, mode: 0o600, tag: 's' }, clock)).toBeUndefined();
    flushedBeforeRenamed(events, slow);
    expect(seen.pooled).toBeGreaterThan(0);
    disk.waitUs = 0;
    for (const name of ['a', 'b', 'c']) {
      const files = batch(name);
      expect(await placeBatch(once, path, { files, mode: 0o600, tag: name }, clock)).toBeUndefined();
      flushedBeforeRenamed(events, files);
    }
    const pooled = seen.pooled;
    const onThread = seen.onThread;
    const last = batch('d');
    expect(await placeBatch(once, path, { files: last, mode: 0o600, tag: 'd' }, clock)).toBeUndefined();
    flushedBeforeRenamed(events, last);
    for (const f of last) expect(fs.readFileSync(f.path, 'utf8')).toBe(`d ${f.path.at(-9)}`);
    // Eight files, their three shelves and the type folder they went into: all on the thread.
    expect([seen.pooled - pooled, seen.onThread - onThread]).toEqual([0, 8 + 3 + 1]);
  });
});
