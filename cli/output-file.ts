import { writeFileAtomic } from '../adapters/documents/atomic-file.js';
import { ErrorCodes, LicbridgeError } from '../core/errors.js';
import { writeFailure } from '../core/read-failure.js';
import { terminalLine } from '../core/terminal-text.js';

/**
 * Writes a command's output file (`config docs -o`, `seal csr --out`) whole or not at all: beside
 * it, then renamed over it (adapters/documents/atomic-file.ts). Written in place, a command
 * stopped by SIGINT, or a full disk, left a part of it under its name for the next reader; and a
 * failure read `unexpected failure: EISDIR: …`, the command not named. A file that cannot be
 * written is a usage error naming the command and the file, as `reconcile --html`'s is.
 */
export async function writeOutputFile(file: string, text: string, command: string): Promise<void> {
  try {
    await writeFileAtomic(file, Buffer.from(text, 'utf8'));
  } catch (e) {
    throw new LicbridgeError(
      ErrorCodes.USAGE,
      `${command}: cannot write ${terminalLine(file)}: ${writeFailure(e)}`,
      { cause: e },
    );
  }
}
