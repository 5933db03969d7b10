/**
 * Platform answers whose ids are JSON numbers. Platforms that number records with 64-bit ids
 * (snowflake ids) write them as bare integers, `{"platformId": 1234567890123456789}`, and
 * `JSON.parse` rounds every integer past 2^53 to the nearest double: the id read would be another
 * record's, and revocations and lookups sent with it would miss. So the named id fields keep
 * their digits, as a string; every other value reads as `JSON.parse` reads it.
 */
import { isInteger, LosslessNumber, parse } from 'lossless-json';

// An integer literal of 16 digits or more, where a value starts: 15 digits are always below
// 2^53, so an answer without one reads the same in `JSON.parse`, which is ten times faster.
// A match inside a string only costs the slower reading.
const LONG_INTEGER = /[:[,]\s*-?\d{16}/;

const keepDigits = (text: string): unknown => (isInteger(text) ? new LosslessNumber(text) : Number(text));

/**
 * `JSON.parse(text)`, except that an integer under one of `idKeys` (at any depth) that a double
 * cannot hold comes back as its digits (a string). Throws a SyntaxError as `JSON.parse` does.
 */
export function parseKeepingIds(text: string, idKeys: ReadonlySet<string>): unknown {
  if (!LONG_INTEGER.test(text)) return JSON.parse(text);
  try {
    return parse(
      text,
      (key, value) => {
        if (!(value instanceof LosslessNumber)) return value;
        // Ids as the platform wrote them; any other number as JSON.parse gives it (rounded if long).
        return idKeys.has(key) ? value.value : Number(value.value);
      },
      keepDigits,
    );
  } catch {
    // lossless-json refuses what JSON.parse takes (a key given twice keeps its last value there):
    // such an answer reads as before, and text that is not JSON throws JSON.parse's SyntaxError.
    return JSON.parse(text);
  }
}

/**
 * An id from a parsed answer as text: a string as it is, an integer as its digits
 * (a long one already is, from parseKeepingIds); anything else is no id.
 */
export function idText(value: unknown): string | null {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' && Number.isSafeInteger(value)) return String(value);
  return null;
}
