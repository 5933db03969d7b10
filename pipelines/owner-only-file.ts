/**
 * Writing a file a command was told to write — a quarantine worklist, a reconciliation report —
 * owner-only from its first byte, as the ledger is kept: such files name licenses and records of
 * the department's business system.
 */
import { writeFileAtomic } from '../adapters/documents/atomic-file.js';
import { ErrorCodes, LicbridgeError } from '../core/errors.js';
import { writeFailure } from '../core/read-failure.js';

/**
 * A new file made with mode 0600 beside `file`, renamed over it. Writing into an existing file and
 * narrowing its mode afterwards wrote the content into a file still open to others (0644), and
 * anyone who opened it meanwhile kept reading it after the chmod. A failure names `file` and why
 * (never the temporary name), after `what` (the command: `quarantine export`).
 */
export async function writeOwnerOnlyFile(file: string, body: string, what: string): Promise<void> {
  try {
    await writeFileAtomic(file, Buffer.from(body, 'utf8'), { mode: 0o600 });
  } catch (e) {
    throw new LicbridgeError(ErrorCodes.USAGE, `${what}: cannot write ${file}: ${writeFailure(e)}`, {
      cause: e,
    });
  }
}
