/** What the CLI prints for an error, and its exit code: `reportError` with stderr captured. */
import { vi } from 'vitest';
import { reportError } from '../../cli/errors.js';

export function printedError(error: unknown): { code: number; text: string } {
  let text = '';
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
    text += String(chunk);
    return true;
  });
  const code = reportError(error);
  vi.restoreAllMocks();
  return { code, text };
}
