/**
 * Writing the files of `audit export` (audit-export-write.ts) and its lock (audit-export-lock.ts):
 * their mode, whole writes, and failures that name the file asked for.
 */
import type { FileHandle } from 'node:fs/promises';
import { ErrorCodes, LicbridgeError } from '../core/errors.js';
import { writeFailure } from '../core/read-failure.js';

/**
 * The export's files are owner-only from their first byte, as the ledger is: the entries name
 * licenses and the operators who acted. Made with the default mode (0644 under umask 022), the
 * files, and the part-written one of an export in progress, were open to anyone on the host.
 */
export const FILE_MODE = 0o600;

/**
 * Every byte of `bytes`, or an error: a write may take fewer bytes than asked (a full disk, a file
 * size limit) and say so only by its count. Taken as whole, the page was hashed and signed while
 * the file kept part of it, and a cut file went into place as a signed export.
 */
export async function writeAll(handle: FileHandle, bytes: Uint8Array): Promise<void> {
  let at = 0;
  while (at < bytes.length) {
    const { bytesWritten } = await handle.write(bytes, at, bytes.length - at);
    if (bytesWritten <= 0) throw new Error('the file took no bytes of a page');
    at += bytesWritten;
  }
}

/**
 * `work` on the export's files; a failure names `out`, the file asked for, and why. The system's
 * message named the temporary file beside it (a name the operator never gave), or none, and its
 * "no such file" was about a file yet to be made.
 */
export async function onDisk<T>(out: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why = code === undefined && e instanceof Error ? e.message : writeFailure(e);
    throw new LicbridgeError(ErrorCodes.USAGE, `audit: export failed: cannot write ${out}: ${why}`, {
      cause: e,
      context: { file: out },
    });
  }
}
