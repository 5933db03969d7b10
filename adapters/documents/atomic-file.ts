/**
 * Writing a file so that readers see the old content or the whole new one, never a part: write a
 * temporary file beside it, flush it to disk, then rename over the target (rename is atomic
 * within one filesystem), and flush the folder so the rename itself survives a power cut.
 */
import { randomBytes } from 'node:crypto';
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
