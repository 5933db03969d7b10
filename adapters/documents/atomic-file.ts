/**
 * Writing a file so that readers see the old content or the whole new one, never a part: write a
 * temporary file beside it, flush it to disk, then rename over the target (rename is atomic
 * within one filesystem), and flush the folder so the rename itself survives a power cut.
 */
import { randomBytes } from 'node:crypto';
import { type FileHandle, mkdir, open, rename, rm } from 'node:fs/promises';
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

/**
 * Writes many files as `writeFileAtomic` writes one — each replaced whole, never seen in part —
 * but in phases over the batch: every temporary file written, then every one flushed, then
 * every rename, then every folder flushed. The first flush of a phase commits the filesystem's
 * journal for the whole batch (ext4 in ordered mode writes the data of every file in that
 * commit), so the flushes after it find nothing left to wait for, where one file at a time pays
 * a journal commit per flush. A file is renamed only once its own flush has returned.
 */
export async function writeFilesAtomic(
  files: readonly { path: string; data: Uint8Array }[],
  options: Pick<AtomicWriteOptions, 'mode'> = {},
): Promise<void> {
  const folders = [...new Set(files.map((f) => dirname(f.path)))];
  await Promise.all(folders.map((d) => mkdir(d, { recursive: true })));
  const temps = files.map((f) => ({
    ...f,
    tmp: join(dirname(f.path), `.${basename(f.path)}.${randomBytes(6).toString('hex')}.tmp`),
  }));
  const handles = new Map<string, FileHandle>();
  try {
    await Promise.all(
      temps.map(async (t) => {
        const handle = await open(t.tmp, 'w', options.mode ?? 0o644);
        handles.set(t.tmp, handle);
        await handle.writeFile(t.data);
      }),
    );
    await Promise.all([...handles.values()].map((h) => h.sync()));
    await Promise.all([...handles.values()].map((h) => h.close()));
    handles.clear();
    await Promise.all(temps.map((t) => rename(t.tmp, t.path)));
  } catch (e) {
    await Promise.allSettled([...handles.values()].map((h) => h.close()));
    await Promise.allSettled(temps.map((t) => rm(t.tmp, { force: true })));
    throw e;
  }
  await Promise.all(
    folders.map(async (d) => {
      const folder = await open(d, 'r');
      try {
        await folder.sync();
      } finally {
        await folder.close();
      }
    }),
  );
}
