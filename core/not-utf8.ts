import type { Problem } from './errors.js';

/**
 * Config, mapping, code-table and mapping-test files are read as UTF-8. A file saved as GBK or
 * GB18030 — what a Chinese Windows editor saves as "ANSI", and a spreadsheet as "CSV" — decodes
 * with U+FFFD where each Chinese character was, and that text would reach licenses as written
 * (an issuer's name, a code table's values). A decoded file holds U+FFFD only where a byte was
 * not UTF-8: nobody types it, and a mapping that means it writes the escape `"\uFFFD"`.
 */
export function notUtf8Problem(text: string, file: string): Problem | undefined {
  const at = text.indexOf('\uFFFD');
  if (at < 0) return undefined;
  const before = text.slice(0, at);
  const line = before.split('\n').length;
  const column = at - before.lastIndexOf('\n');
  return {
    file,
    line,
    column,
    path: '',
    message:
      'not UTF-8 text: a byte here does not decode as UTF-8; save the file as UTF-8 (a GBK or GB18030 file, what Windows editors save as "ANSI", reads this way)',
  };
}
