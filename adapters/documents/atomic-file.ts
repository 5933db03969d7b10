/**
 * Writing a file so that readers see the old content or the whole new one, never a part: write a
 * temporary file beside it, flush it to disk, then rename over the target (rename is atomic
 * within one filesystem), and flush the folder so the rename itself survives a power cut.
 */
import { randomBytes } from 'node:crypto';
import { close, fsync, open as openCb, rename as renameCb, write } from 'node:fs';
import { mkdir, open, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

export interface AtomicWriteOptions {
  /** File mode of the new file. @defaultValue 0o644 */
  mode?: number;
  /** Fail with EEXIST instead of replacing an existing file. @defaultValue false */
  exclusive?: boolean;
}

export async function writeFileAtomic(
  path: string,
  data: Uint8Array,
  options: AtomicWriteOptions = {},
): Promise<void> {
  const dir = dirname(path);
  await mkdir(dir, { recursive: true });
  if (options.exclusive) {
    // Claim the name first: a second writer fails here instead of silently replacing the file.
    const claim = await open(path, 'wx', options.mode ?? 0o644);
    await claim.close();
  }
  const tmp = join(dir, `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    const handle = await open(tmp, 'w', options.mode ?? 0o644);
    try {
      await handle.writeFile(data);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(tmp, path);
  } catch (e) {
    await rm(tmp, { force: true });
    throw e;
  }
  const folder = await open(dir, 'r');
  try {
    await folder.sync();
  } finally {
    await folder.close();
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

/** One callback-style fs call as a promise (lighter than fs/promises' FileHandle per step). */
function call<T>(run: (done: (e: NodeJS.ErrnoException | null, value?: T) => void) => void): Promise<T> {
  return new Promise((resolve, reject) => run((e, value) => (e ? reject(e) : resolve(value as T))));
}

async function writeAll(fd: number, data: Uint8Array): Promise<void> {
  for (let at = 0; at < data.length; ) {
    at += await call<number>((done) => write(fd, data, at, data.length - at, at, done));
  }
}

async function syncPath(path: string): Promise<void> {
  const fd = await call<number>((done) => openCb(path, 'r', done));
  try {
    await call((done) => fsync(fd, done));
  } finally {
    await call((done) => close(fd, done));
  }
}

/** Writes, flushes and renames one file into place; its temporary file is gone either way. */
async function placeOne(file: AtomicFile, mode: number): Promise<void> {
  const tmp = join(dirname(file.path), `.${basename(file.path)}.${processTag}.${sequence++}.tmp`);
  try {
    const fd = await call<number>((done) => openCb(tmp, 'wx', mode, done));
    try {
      await writeAll(fd, file.data);
      await call((done) => fsync(fd, done));
    } finally {
      await call((done) => close(fd, done));
    }
    await call((done) => renameCb(tmp, file.path, done));
  } catch (e) {
    await rm(tmp, { force: true });
    throw e;
  }
}

/**
 * Writes a batch of files, each atomically as `writeFileAtomic` does, and returns once every one
 * of them is durable at its final path: each file flushed before its rename, then every folder a
 * rename went into flushed once — and the parent of every folder made here, so the new folder's
 * own entry survives a power cut too. The files are written side by side (their flushes overlap);
 * a failure is thrown once all have settled, after removing the failed file's temporary file
 * (files already renamed into place stay: a rerun replaces them).
 */
export async function writeFilesAtomic(
  files: readonly AtomicFile[],
  options: { mode?: number } = {},
): Promise<void> {
  const mode = options.mode ?? 0o644;
  const folders = [...new Set(files.map((f) => dirname(f.path)))];
  const toSync = new Set(folders);
  const made = await Promise.all(folders.map((folder) => mkdir(folder, { recursive: true })));
  folders.forEach((folder, i) => {
    const top = made[i];
    if (top === undefined) return;
    // mkdir made `top` and the folders below it down to `folder`: each one's entry is new in
    // its parent, from top's parent down to folder's parent.
    for (let d = folder; d !== top && dirname(d) !== d; ) {
      d = dirname(d);
      toSync.add(d);
    }
    toSync.add(dirname(top));
  });
  const placed = await Promise.allSettled(files.map((f) => placeOne(f, mode)));
  const failed = placed.find((p): p is PromiseRejectedResult => p.status === 'rejected');
  if (failed) throw failed.reason;
  await Promise.all([...toSync].map(syncPath));
}
