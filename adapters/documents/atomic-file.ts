/**
 * Writing a file so that readers see the old content or the whole new one, never a part: write a
 * temporary file beside it, flush it to disk, then rename over the target (rename is atomic
 * within one filesystem), and flush the folder so the rename itself survives a power cut (and the
 * parents of folders made for it, so those folders do too).
 */
import { randomBytes } from 'node:crypto';
import { link, mkdir, open, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { type PlaceBatch, type PlaceFailure, placeBatch } from './place-batch.js';

export interface AtomicWriteOptions {
  /** File mode of the new file. @defaultValue 0o644 */
  mode?: number;
  /** Fail with EEXIST instead of replacing an existing file. @defaultValue false */
  exclusive?: boolean;
  /** Mode of the folders made for the file (the umask still applies). @defaultValue 0o777 */
  dirMode?: number;
}

export async function writeFileAtomic(
  path: string,
  data: Uint8Array,
  options: AtomicWriteOptions = {},
): Promise<void> {
  const dir = dirname(path);
  // The folders made here are new entries in their parents: flushed too, or a power cut can take
  // a folder — and the file in it — away after this returned.
  const top = await mkdir(dir, { recursive: true, mode: options.dirMode ?? 0o777 });
  const toSync = [dir];
  // mkdir made `top` and the folders below it down to `dir`: each one's parent holds a new entry.
  for (let d = dir; top !== undefined && dirname(d) !== d; d = dirname(d)) {
    toSync.push(dirname(d));
    if (d === top) break;
  }
  const tmp = join(dir, `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    const handle = await open(tmp, 'wx', options.mode ?? 0o644);
    try {
      await handle.writeFile(data);
      await handle.sync();
    } finally {
      await handle.close();
    }
    if (options.exclusive) {
      // A hard link never replaces a file: of two writers, the second fails here (EEXIST) instead
      // of silently replacing the first one's file, and no reader ever sees the name holding
      // anything but the whole file (an empty file claiming it first was one, and was left behind
      // by a writer killed before its rename).
      await linkOrClaim(tmp, path, options.mode ?? 0o644);
      await rm(tmp, { force: true });
    } else await rename(tmp, path);
  } catch (e) {
    await rm(tmp, { force: true });
    // The folders made here are flushed all the same: a later write into them finds them there and
    // flushes none of their parents, so its file would rest on entries never flushed.
    await syncFolders(toSync.slice(1)).catch(() => undefined);
    throw e;
  }
  await syncFolders(toSync);
}

/** Filesystems that have no hard links (some network and FUSE mounts) answer `link` so. */
const NO_LINKS = new Set(['ENOTSUP', 'EOPNOTSUPP', 'ENOSYS', 'EPERM']);

/**
 * `tmp` put at `path` only if nothing is there: linked, or — where the filesystem has no hard
 * links — the name claimed with an empty file first and `tmp` renamed over it (the claim taken
 * back if the rename fails).
 */
async function linkOrClaim(tmp: string, path: string, mode: number): Promise<void> {
  try {
    await link(tmp, path);
    return;
  } catch (e) {
    if (!NO_LINKS.has((e as NodeJS.ErrnoException).code ?? '')) throw e;
  }
  await (await open(path, 'wx', mode)).close();
  try {
    await rename(tmp, path);
  } catch (e) {
    await rm(path, { force: true });
    throw e;
  }
}

async function syncFolders(folders: readonly string[]): Promise<void> {
  for (const d of folders) {
    const folder = await open(d, 'r');
    try {
      await folder.sync();
    } finally {
      await folder.close();
    }
  }
}

/** A file of a batch: its final path and its bytes. */
export interface AtomicFile {
  path: string;
  data: Uint8Array;
}

// Temporary names: this process's random tag and a counter, unique without a random draw per file.
const processTag = randomBytes(4).toString('hex');
let sequence = 0;

// A batch arrives as its files' paths and one buffer holding all their bytes (see `place`): each
// file's data is a view of that buffer.
const WORKER_SOURCE = `
const { parentPort } = require('node:worker_threads');
const place = (${placeBatch.toString()});
parentPort.on('message', async (m) => {
  const files = m.paths.map((path, k) => ({ path, data: new Uint8Array(m.bytes, m.offsets[k], m.offsets[k + 1] - m.offsets[k]) }));
  const batch = { ...m.batch, files };
  parentPort.postMessage({ id: m.id, failure: await place(require('node:fs'), require('node:path'), batch) });
});
`;

interface Waiting {
  resolve(): void;
  reject(e: Error): void;
  /** The batch's bytes, kept for the next batch once the thread is done with them. */
  shared: SharedArrayBuffer;
}

/**
 * The largest buffer kept between batches (8 MiB: pages of a few hundred license files). Making a
 * shared buffer costs more than filling it (it is zeroed, its pages faulted in): some 5 µs a
 * license file, made anew for every batch.
 */
const SPARE_MAX = 8 * 1024 * 1024;

/**
 * The thread that places batches: started on first use, one per process, holding the process
 * open only while a batch is in flight. If it dies, what it was placing fails and the next batch
 * starts a new one.
 */
class Placer {
  #worker: Worker | undefined;
  readonly #waiting = new Map<number, Waiting>();
  #nextId = 1;
  /** A buffer no batch is using: the next batch that fits in it takes it. */
  #spare: SharedArrayBuffer | undefined;

  #start(): Worker {
    const worker = new Worker(WORKER_SOURCE, { eval: true });
    worker.unref();
    worker.on('message', (m: { id: number; failure?: PlaceFailure }) => {
      const w = this.#waiting.get(m.id);
      if (!w) return;
      this.#waiting.delete(m.id);
      if (this.#waiting.size === 0) worker.unref();
      // The thread answers once it has written every file: the buffer is free again.
      if (w.shared.byteLength <= SPARE_MAX && (this.#spare?.byteLength ?? -1) < w.shared.byteLength)
        this.#spare = w.shared;
      if (m.failure) w.reject(asError(m.failure));
      else w.resolve();
    });
    const gone = (e: Error): void => {
      if (this.#worker !== worker) return;
      this.#worker = undefined;
      for (const w of this.#waiting.values()) w.reject(e);
      this.#waiting.clear();
    };
    worker.on('error', (e) => gone(new Error(`file store: the writing thread failed: ${e.message}`)));
    worker.on('exit', (code) => gone(new Error(`file store: the writing thread exited with code ${code}`)));
    return worker;
  }

  place(batch: PlaceBatch): Promise<void> {
    this.#worker ??= this.#start();
    const worker = this.#worker;
    const id = this.#nextId++;
    if (this.#waiting.size === 0) worker.ref();
    // The files' bytes copied one after another into one buffer the thread shares (not cloned):
    // the caller keeps its buffers, and the thread gets one copy of the bytes instead of a
    // structured clone per file, which cost more than the copy itself. Shared, not transferred:
    // the first buffer a process detaches (a transfer does) invalidates a V8 assumption all
    // optimised code that reads typed arrays relies on, and the layout, QR, page and ZIP code was
    // thrown away and compiled again in the first pages of every run (bench/license-files.ts).
    const { files, ...rest } = batch;
    const offsets = new Array<number>(files.length + 1);
    let total = 0;
    for (let k = 0; k < files.length; k++) {
      offsets[k] = total;
      total += (files[k] as AtomicFile).data.length;
    }
    offsets[files.length] = total;
    let shared = this.#spare;
    if (shared !== undefined && shared.byteLength >= total) this.#spare = undefined;
    else shared = new SharedArrayBuffer(total);
    // Past `total`, what an earlier batch left: each file is read by its offsets. Copied with
    // Buffer's fill, which takes a Uint8Array as the value and copies it once where it fits the
    // range exactly (a plain memcpy in node's C++): TypedArray's set into a shared buffer copies a
    // word at a time as relaxed atomics, some 5 µs a license file against 1.
    const bytes = Buffer.from(shared, 0, total);
    for (let k = 0; k < files.length; k++) {
      const data = (files[k] as AtomicFile).data;
      const at = offsets[k] as number;
      bytes.fill(data, at, at + data.length);
    }
    return new Promise<void>((resolve, reject) => {
      this.#waiting.set(id, { resolve, reject, shared });
      worker.postMessage({ id, batch: rest, paths: files.map((f) => f.path), offsets, bytes: shared });
    });
  }
}

/** The failed call as the caller's code expects it: message, `code`, `syscall`, `path`. */
function asError(failure: PlaceFailure): NodeJS.ErrnoException {
  const e: NodeJS.ErrnoException = new Error(failure.message);
  if (failure.code !== undefined) e.code = failure.code;
  if (failure.syscall !== undefined) e.syscall = failure.syscall;
  if (failure.path !== undefined) e.path = failure.path;
  return e;
}

const placer = new Placer();

/**
 * Writes a batch of files, each atomically as `writeFileAtomic` does, and returns once every one
 * of them is durable at its final path: each file flushed before its rename, then every folder a
 * rename went into flushed once — and the parent of every folder made here, so the new folder's
 * own entry survives a power cut too (`placeBatch`, on a thread of its own). A failure is thrown
 * once every file has been tried, after removing the failed file's temporary file (files already
 * renamed into place stay: a rerun replaces them).
 */
export async function writeFilesAtomic(
  files: readonly AtomicFile[],
  options: { mode?: number; dirMode?: number } = {},
): Promise<void> {
  if (files.length === 0) return;
  const tag = `${processTag}.${sequence++}`;
  await placer.place({
    files,
    mode: options.mode ?? 0o644,
    ...(options.dirMode !== undefined ? { dirMode: options.dirMode } : {}),
    tag,
  });
}
