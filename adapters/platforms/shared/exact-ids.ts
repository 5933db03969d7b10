/**
 * Platform answers whose ids are JSON numbers. Platforms that number records with 64-bit ids
 * (snowflake ids) write them as bare integers, `{"platformId": 1234567890123456789}`, and
 * `JSON.parse` rounds every integer past 2^53 to the nearest double: the id read would be another
 * record's, and revocations and lookups sent with it would miss. So the named id fields keep
 * their digits, as a string; every other value reads as `JSON.parse` reads it.
 */
import { randomBytes } from 'node:crypto';
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
    // lossless-json refuses what JSON.parse takes (a key given twice keeps its last value there).
    // Read with JSON.parse alone, every long integer of such an answer was rounded: a holder's ID
    // number became another's. Text that is not JSON throws JSON.parse's SyntaxError.
    return parseRepeatedKeys(text, idKeys);
  }
}

/**
 * `JSON.parse(text)` with each long integer literal (16 digits or more) read exactly: written as a
 * string that starts with a mark of this call (a NUL, which JSON text can only hold escaped, and
 * a random tag), read back as its digits under an id key and as JSON.parse's number elsewhere.
 * Only literals outside strings are touched; a repeated key keeps its last value, as in JSON.parse.
 */
function parseRepeatedKeys(text: string, idKeys: ReadonlySet<string>): unknown {
  // Whether it is JSON at all is JSON.parse's to say, on the text as it came: a number marked
  // where JSON has none (an object's key) would read as a string there.
  JSON.parse(text);
  const tag = `lb-integer-${randomBytes(8).toString('hex')}:`;
  let marked = '';
  let from = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i] as string;
    if (inString) {
      if (c === '\\') i += 1;
      else if (c === '"') inString = false;
      continue;
    }
    if (c === '"') {
      inString = true;
      continue;
    }
    if (c !== '-' && (c < '0' || c > '9')) continue;
    NUMBER_LITERAL.lastIndex = i;
    const literal = NUMBER_LITERAL.exec(text)?.[0] ?? c;
    if (/^-?\d{16,}$/.test(literal)) {
      marked += `${text.slice(from, i)}"\\u0000${tag}${literal}"`;
      from = i + literal.length;
    }
    i += literal.length - 1;
  }
  marked += text.slice(from);
  const prefix = `\u0000${tag}`;
  return JSON.parse(marked, (key, value: unknown) => {
    if (typeof value !== 'string' || !value.startsWith(prefix)) return value;
    const digits = value.slice(prefix.length);
    return idKeys.has(key) ? digits : Number(digits);
  });
}

/** A JSON number literal at `lastIndex` (RFC 8259 §6, leniently: JSON.parse has judged the text). */
const NUMBER_LITERAL = /-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?/y;

/**
 * An id from a parsed answer as text: a string as it is, an integer as its digits
 * (a long one already is, from parseKeepingIds); anything else is no id.
 */
export function idText(value: unknown): string | null {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' && Number.isSafeInteger(value)) return String(value);
  return null;
}
