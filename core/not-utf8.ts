import { isUtf8 } from 'node:buffer';
import type { Problem } from './errors.js';

/**
 * Config, mapping, code-table, catalog and mapping-test files are read as UTF-8. A file saved as
 * GBK or GB18030 — what a Chinese Windows editor saves as "ANSI", and a spreadsheet as "CSV" —
 * decodes with U+FFFD where each Chinese character was, and that text would reach licenses as
 * written (an issuer's name, a code table's values). The bytes decide, not the decoded text: a
 * file may hold U+FFFD itself (a code table listing what a driver writes for a byte it could not
 * read), which is UTF-8 text like any other, and was refused when every U+FFFD counted as damage.
 */
export function utf8Text(bytes: Uint8Array, file: string): { text: string; problem?: Problem } {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const text = buffer.toString('utf8');
  if (isUtf8(buffer)) return { text };
  const at = firstUndecoded(text, buffer);
  const before = text.slice(0, at);
  const line = before.split('\n').length;
  // A byte order mark is no character an editor shows: line 1's columns start after it.
  const bom = line === 1 && text.startsWith('\uFEFF') ? 1 : 0;
  const column = at - before.lastIndexOf('\n') - bom;
  return {
    text,
    problem: {
      file,
      line,
      column,
      path: '',
      message:
        'not UTF-8 text: a byte here does not decode as UTF-8; save the file as UTF-8 (a GBK or GB18030 file, what Windows editors save as "ANSI", reads this way)',
    },
  };
}

const REPLACEMENT = [0xef, 0xbf, 0xbd];

/**
 * The index in `text` (`bytes` decoded) of the first U+FFFD the decoder put for bytes that are
 * not UTF-8: every U+FFFD before it is the file's own (EF BF BD), so the bytes up to it are `text`
 * up to it, encoded again.
 */
function firstUndecoded(text: string, bytes: Buffer): number {
  let offset = 0;
  let last = 0;
  for (let at = text.indexOf('\uFFFD'); at >= 0; at = text.indexOf('\uFFFD', at + 1)) {
    offset += Buffer.byteLength(text.slice(last, at));
    if (!REPLACEMENT.every((b, i) => bytes[offset + i] === b)) return at;
    offset += REPLACEMENT.length;
    last = at + 1;
  }
  return text.length;
}
