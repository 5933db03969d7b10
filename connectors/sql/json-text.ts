/**
 * A JSON column's text as the driver hands it over (PostgreSQL `json`/`jsonb`, MySQL `JSON`). The
 * drivers parse it with JSON.parse, and the value went on as the parsed value written back
 * (values.ts `normaliseValue`): a number a JavaScript number cannot hold lost digits without a
 * word — a 20-digit serial `12345678901234567890` became `12345678901234567000`, `1e400` became
 * `null`. Such a text keeps every number as the database wrote it; any other is parsed as before,
 * so its value and its license's content do not change.
 */
import { printsAsDecimal } from '../../core/decimal-text.js';

/** A JSON number token (RFC 8259 §6), matched where a value starts. */
const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;

/** Whether a decimal's text (a JSON number token) is the value of the number JavaScript makes of it. */
export function numberHolds(token: string): boolean {
  return printsAsDecimal(Number(token), token);
}

/**
 * The text without white space between tokens, strings as JSON.stringify writes them, and each
 * number as its shortest text where a number holds it, as written where one does not. Null when no
 * number is lost by parsing (the caller parses it as before), or when the text is no JSON.
 */
function exactText(text: string): string | null {
  let out = '';
  let lost = false;
  let i = 0;
  while (i < text.length) {
    const c = text[i] as string;
    if (c === '"') {
      let end = i + 1;
      while (end < text.length && text[end] !== '"') end += text[end] === '\\' ? 2 : 1;
      const token = text.slice(i, end + 1);
      out += JSON.stringify(JSON.parse(token));
      i = end + 1;
    } else if (c === '-' || (c >= '0' && c <= '9')) {
      NUMBER.lastIndex = i;
      const token = NUMBER.exec(text)?.[0];
      if (!token) return null;
      const holds = numberHolds(token);
      lost ||= !holds;
      out += holds ? JSON.stringify(Number(token)) : token;
      i += token.length;
    } else if (c === ' ' || c === '\t' || c === '\n' || c === '\r') {
      i++;
    } else {
      out += c;
      i++;
    }
  }
  return lost ? out : null;
}

/**
 * A JSON column's value from its text: the text, numbers kept as written, where parsing would lose
 * a number's digits; the parsed value otherwise (and for text that is no JSON, the text).
 */
export function jsonColumnValue(text: string): unknown {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return text;
  }
  return exactText(text) ?? parsed;
}

/**
 * A JSON text without white space between tokens and with every number's digits kept: as
 * JSON.stringify writes its parsed value where that loses no digit, its exact text otherwise.
 */
export function exactJsonText(text: string): string {
  return exactText(text) ?? JSON.stringify(JSON.parse(text));
}
