/**
 * Writing a file a command was told to write — a quarantine worklist, a reconciliation report —
 * owner-only from its first byte, as the ledger is kept: such files name licenses and records of
 * the department's business system.
 */
import { constants } from 'node:fs';
import { open } from 'node:fs/promises';
import { writeFileAtomic } from '../adapters/documents/atomic-file.js';
import { ErrorCodes, LicbridgeError } from '../core/errors.js';
import { writeFailure } from '../core/read-failure.js';

/**
 * A rename over the file that fails so is a rename over a mount point: a single file bind-mounted
 * into a container (`-v /srv/lists/q.csv:/out/q.csv`) is one, and cannot be replaced, only
 * written into (EXDEV on kernels that see the mount as another filesystem).
 */
const NOT_REPLACEABLE = new Set(['EBUSY', 'EXDEV']);

/**
 * A new file made with mode 0600 beside `file`, renamed over it. Writing into an existing file and
 * narrowing its mode afterwards wrote the content into a file still open to others (0644), and
 * anyone who opened it meanwhile kept reading it after the chmod. A file that cannot be renamed
 * over (mounted there) is written into instead, made owner-only before its first byte
 * (`writeInPlace`). A failure names `file` and why (never the temporary name), after `what` (the
 * command: `quarantine export`).
 */
export async function writeOwnerOnlyFile(file: string, body: string, what: string): Promise<void> {
  const data = Buffer.from(body, 'utf8');
  try {
    try {
      await writeFileAtomic(file, data, { mode: 0o600 });
    } catch (e) {
      const failed = e as NodeJS.ErrnoException;
      if (failed.syscall !== 'rename' || !NOT_REPLACEABLE.has(failed.code ?? '')) throw e;
      await writeInPlace(file, data);
    }
  } catch (e) {
    const why =
      (e as Error).message === NOT_A_FILE || (e as NodeJS.ErrnoException).code === 'ELOOP'
        ? 'it cannot be replaced (mounted there), and is no regular file to write into'
        : e instanceof CutShort
          ? `${writeFailure(e.cause)}; ${e.left}`
          : writeFailure(e);
    throw new LicbridgeError(ErrorCodes.USAGE, `${what}: cannot write ${file}: ${why}`, { cause: e });
  }
}

const NOT_A_FILE = 'not a regular file';

/**
 * A write into the file that failed after it was emptied (`cause`); `left` says what the file
 * holds: nothing, or — when emptying it again failed too — the part written, which must not be
 * taken for the whole list.
 */
class CutShort extends Error {
  constructor(
    override readonly cause: unknown,
    readonly left: string,
  ) {
    super('written in part', { cause });
  }
}

/**
 * Into the file itself: opened without following a link (one put at the name is not followed into
 * another file) and without creating one, made 0600 before a byte is written — so nobody opens it
 * afterwards as another account; whoever holds it open from before still reads it, which no write
 * into the same file can prevent — then emptied, written and flushed. A file this process cannot
 * make owner-only (another account's) is not written at all. A write that fails part-way (a full
 * disk, a quota) empties the file again: its first part reads as a whole list with fewer rows, an
 * empty file as no export; if emptying fails too, the error says the file holds its first part, cut short.
 * A process killed mid-write cannot do so, and leaves the part it wrote.
 */
async function writeInPlace(file: string, data: Buffer): Promise<void> {
  const handle = await open(file, constants.O_WRONLY | constants.O_NOFOLLOW);
  try {
    if (!(await handle.stat()).isFile()) throw new Error(NOT_A_FILE);
    await handle.chmod(0o600);
    await handle.truncate(0);
    try {
      await handle.writeFile(data);
      await handle.sync();
    } catch (e) {
      const left = await handle.truncate(0).then(
        () => 'the file, mounted there and written into, is left empty',
        (again: unknown) =>
          `the file, mounted there and written into, holds the part written before the failure, cut short (emptying it failed too: ${writeFailure(again)}): do not take it for the whole file; empty it or run the command again`,
      );
      throw new CutShort(e, left);
    }
  } finally {
    await handle.close();
  }
}
