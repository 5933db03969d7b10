/**
 * Putting a batch of files in place atomically and durably, with plain synchronous system calls,
 * in phases: every folder made (once a thread: `made`); then, a chunk of files at a time, every
 * temporary file created and written, its flush (fsync) sent out at once, and once every one of
 * them is flushed, each closed and renamed over its final path; then every folder a rename went
 * into — and the parent of every folder made here — flushed. A reader sees a file whole or not at all;
 * when this returns without an error, every file of the batch survives a power cut.
 *
 * It runs on a thread of its own (`atomic-file.ts`): made there, directly, the calls a file takes
 * cost a fraction of what one round trip through libuv's pool per call did on the calling thread
 * (bench/license-files.ts, docs/ofd.md, Cost). Only the flushes go through the pool, side by
 * side, and only on a disk where they wait (`flush`): where a flush returns at once, it is made
 * here too.
 *
 * Self-contained ON PURPOSE, like the SM2 kernel: `placeBatch` references nothing outside its own
 * body (its modules are parameters), so its source text is the worker's code, from the
 * TypeScript sources under the test runner and from the compiled dist alike.
 */
import type * as NodeFs from 'node:fs';
import type * as NodePath from 'node:path';

export interface PlaceBatch {
  files: readonly { path: string; data: Uint8Array }[];
  mode: number;
  /** Mode of the folders made for the files (the umask still applies). @defaultValue 0o777 */
  dirMode?: number;
  /** Temporary names: `.<name>.<tag>.<n>.tmp` beside each file, unique to this batch. */
  tag: string;
  /**
   * Files (and folders) open at once: a page may be 10,000 files, past a process's usual limit
   * of 1,024 descriptors. @defaultValue 128
   */
  chunk?: number;
}

/** A failed system call, as it crosses the thread boundary. */
export interface PlaceFailure {
  message: string;
  code?: string;
  syscall?: string;
  path?: string;
}

/**
 * Places `batch.files` (see above). Every file is tried: one that fails has its temporary file
 * removed, files already renamed stay (a rerun replaces them), the folders are flushed all the
 * same, and the first failure is returned. Never rejects.
 *
 * @param clock - Nanoseconds, read around a flush made on the thread to tell whether it waited
 *   for the disk (`flush`). @defaultValue `process.hrtime.bigint()`
 */
export async function placeBatch(
  fs: typeof NodeFs,
  path: typeof NodePath,
  batch: PlaceBatch,
  clock: () => bigint = () => process.hrtime.bigint(),
): Promise<PlaceFailure | undefined> {
  let failure: PlaceFailure | undefined;
  const fail = (e: unknown): void => {
    if (failure) return;
    const err = e as NodeJS.ErrnoException;
    failure = { message: String(err?.message ?? e), code: err?.code, syscall: err?.syscall, path: err?.path };
  };
  // Where a flush waits for the disk, the flushes go out side by side (libuv's pool): flushes in
  // flight together share a journal commit — one after another, a batch took several times as
  // long on ext4. Where it returns at once (tmpfs, a cache that needs no flush), the pool's round
  // trip — two threads woken, on one core two switches between them — cost more than the flush:
  // such flushes are made here, one after another. Two in a row that waited (FLUSH_WAITS_US: a
  // flush that writes anything to a device takes longer, and one after another a disk with flushes
  // of half a millisecond would take several times as long for a batch as side by side) tell the
  // thread that this disk's flushes wait, and the pool takes the flushes after them; one alone may
  // be the thread losing its core for a moment. Two in a row can be that too, or the disk busy a
  // while: so while the pool takes them, the last flush of each lot sent together (`probe`) is
  // still made here and timed — the thread would wait for the lot there anyway, and that flush
  // goes to the disk beside the others — and two of those in a row that returned at once bring
  // the flushes back to the thread. Without it, one busy moment sent every later flush of the
  // thread's life through the pool. Kept on the thread's global (this body has no module of its
  // own): `pooled`, and how many flushes in a row said otherwise. Every other call is quick and
  // made directly.
  const FLUSH_WAITS_US = 200;
  const state = globalThis as { licbridgeFlushes?: { pooled: boolean; against: number } };
  state.licbridgeFlushes ??= { pooled: false, against: 0 };
  const flushes = state.licbridgeFlushes;
  const flush = (fd: number, probe: boolean): Promise<unknown> => {
    if (flushes.pooled && !probe)
      return new Promise((resolve) => fs.fsync(fd, (e) => resolve(e ?? undefined)));
    const start = clock();
    try {
      fs.fsyncSync(fd);
    } catch (e) {
      return Promise.resolve(e);
    }
    const waited = clock() - start >= BigInt(FLUSH_WAITS_US * 1000);
    flushes.against = waited === flushes.pooled ? 0 : flushes.against + 1;
    if (flushes.against >= 2) {
      flushes.pooled = !flushes.pooled;
      flushes.against = 0;
    }
    return Promise.resolve(undefined);
  };
  // Test hook, as core/crash-point.ts (which this body cannot import): with
  // `LICBRIDGE_TEST_CRASH_AT=files-batch-flushed:<n>` the process kills itself with SIGKILL in the
  // n-th chunk it places, its temporary files written and flushed, none renamed — a run killed
  // mid-batch. The count lives on the thread's global, as this body has no module of its own.
  const crash = (): void => {
    const spec = /^files-batch-flushed:([1-9][0-9]*)$/.exec(process.env.LICBRIDGE_TEST_CRASH_AT ?? '');
    if (!spec) return;
    const seen = globalThis as { licbridgeBatchesFlushed?: number };
    seen.licbridgeBatchesFlushed = (seen.licbridgeBatchesFlushed ?? 0) + 1;
    if (seen.licbridgeBatchesFlushed === Number(spec[1])) process.kill(process.pid, 'SIGKILL');
  };
  // The folders this thread made or found, kept on its global as this body has no module of its
  // own: a store's shelves are made once and then written into batch after batch, and a mkdir
  // (and the stat that finds the folder there) for each shelf of each batch was some 0.8 of each
  // a file. One removed by hand since is made again when a file cannot be created in it (`create`).
  const known = globalThis as { licbridgeFoldersMade?: Set<string> };
  known.licbridgeFoldersMade ??= new Set<string>();
  const made = known.licbridgeFoldersMade;
  // A file's folder and its temporary name, cut at its last `/`: `path.dirname` and `path.join`
  // read a path a character at a time (join normalising it), three times a file on this thread:
  // some 4 µs of the ~50 a file takes here on tmpfs. The paths the store gives are absolute and
  // normalised (`join(root, …)`); a name with no `/` before it, or another separator, goes
  // through `path`.
  const posix = path.sep === '/';
  const folderOf = (file: string): string => {
    const cut = posix ? file.lastIndexOf('/') : -1;
    return cut > 0 ? file.slice(0, cut) : path.dirname(file);
  };
  const temporary = (file: string, n: number): string => {
    const cut = posix ? file.lastIndexOf('/') : -1;
    const name = `.${batch.tag}.${n}.tmp`;
    return cut > 0
      ? `${file.slice(0, cut + 1)}.${file.slice(cut + 1)}${name}`
      : path.join(path.dirname(file), `.${path.basename(file)}${name}`);
  };
  try {
    const folders = [...new Set(batch.files.map((f) => folderOf(f.path)))];
    const toSync = new Set(folders);
    const makeFolder = (folder: string): void => {
      const top = fs.mkdirSync(folder, { recursive: true, mode: batch.dirMode ?? 0o777 });
      if (made.size >= 4096) made.clear();
      made.add(folder);
      if (top === undefined) return;
      // mkdir made `top` and the folders below it down to `folder`: each one's entry is new in
      // its parent, from top's parent down to folder's parent.
      for (let d = folder; d !== top && path.dirname(d) !== d; ) {
        d = path.dirname(d);
        toSync.add(d);
      }
      toSync.add(path.dirname(top));
    };
    for (const folder of folders) if (!made.has(folder)) makeFolder(folder);
    /** A temporary file created, its folder made again if it was taken away since it was made here. */
    const create = (tmp: string): number => {
      try {
        return fs.openSync(tmp, 'wx', batch.mode);
      } catch (e) {
        const folder = folderOf(tmp);
        if ((e as NodeJS.ErrnoException).code !== 'ENOENT' || !made.has(folder)) throw e;
        made.delete(folder);
        makeFolder(folder);
        return fs.openSync(tmp, 'wx', batch.mode);
      }
    };
    interface Open {
      fd: number;
      tmp: string;
      target: string;
    }
    const drop = (o: Open): void => {
      try {
        fs.closeSync(o.fd);
      } catch {
        // Closing is all that is left to do with it; the unlink below matters.
      }
      try {
        fs.unlinkSync(o.tmp);
      } catch {
        // Already gone.
      }
    };
    const chunk = batch.chunk ?? 128;
    for (let first = 0; first < batch.files.length; first += chunk) {
      const open: Open[] = [];
      // Each file's flush goes out as soon as its bytes are written, while the next files are
      // created and written: creating a file is the thread's dearest call on a disk that flushes
      // (ext4 looks for a free inode past those deleted lately), and made before the first flush
      // went out it left the pool idle for that long (docs/ofd.md, Cost).
      const sent: Promise<unknown>[] = [];
      const lot = batch.files.slice(first, first + chunk);
      lot.forEach((file, k) => {
        const n = first + k;
        const tmp = temporary(file.path, n);
        let fd: number;
        try {
          fd = create(tmp);
        } catch (e) {
          fail(e);
          return;
        }
        const o = { fd, tmp, target: file.path };
        try {
          for (let at = 0; at < file.data.length; )
            at += fs.writeSync(fd, file.data, at, file.data.length - at, at);
          open.push(o);
          sent.push(flush(fd, k === lot.length - 1));
        } catch (e) {
          fail(e);
          drop(o);
        }
      });
      // Flushed before renamed: a file is never visible at its path before its bytes are on disk.
      const results = await Promise.all(sent);
      crash();
      const flushed = open.filter((o, n) => {
        if (results[n] === undefined) return true;
        fail(results[n]);
        drop(o);
        return false;
      });
      for (const o of flushed) {
        try {
          fs.closeSync(o.fd);
        } catch (e) {
          fail(e);
          drop(o);
          continue;
        }
        try {
          fs.renameSync(o.tmp, o.target);
        } catch (e) {
          fail(e);
          try {
            fs.unlinkSync(o.tmp);
          } catch {
            // Already gone.
          }
        }
      }
    }
    // Flushed whether or not a file failed: the folders made here are remembered as made (`made`),
    // so no later batch flushes their parents, and the files it puts in them would rest on entries
    // never flushed.
    const flushing = [...toSync];
    for (let first = 0; first < flushing.length; first += chunk) {
      const fds: number[] = [];
      try {
        for (const folder of flushing.slice(first, first + chunk)) fds.push(fs.openSync(folder, 'r'));
        const sent = fds.map((fd, k) => flush(fd, k === fds.length - 1));
        for (const e of await Promise.all(sent)) if (e !== undefined) fail(e);
      } finally {
        for (const fd of fds) fs.closeSync(fd);
      }
    }
  } catch (e) {
    fail(e);
  }
  return failure;
}
