/**
 * Where a credential's value that a key opened with a quote or a brace ends
 * (./credential-words.ts): a quote doubled inside it (`'it''s'`) or escaped (`\'`, and `\\'` as
 * a log line writes it), an ODBC value's `}}`, a Chinese text's closing quote (`“…”`), and an
 * array's next string. Each reads the text once from where it is put.
 */

/** The quote closing a value a Chinese text or a word processor quotes (`密码：“…”`, `「…」`, `‘…’`). */
const CLOSERS: Readonly<Record<string, string>> = { '“': '”', '‘': '’', '「': '」', '『': '』' };

/** Where the value opened by `opener` (a quote, as written or escaped, or `{`) just before `start` ends. */
export function quotedValueEnd(text: string, start: number, opener: string): number {
  return opener === '{' ? braceEnd(text, start) : settingEnd(text, start, CLOSERS[opener] ?? opener);
}

/**
 * The separator between an array's strings (1), Node's printed on lines of their own too. Sticky,
 * and matching nothing where none stands, so it never reads past the place it is put.
 */
const ARRAY_NEXT = /[ \t]*(,(?:\s|\\[nrt])*)?/y;

/** Where the array's next string quoted by `quote` starts after one that ends at `end`, or -1. */
export function nextInArray(text: string, end: number, quote: string): number {
  if (!text.startsWith(quote, end)) return -1;
  ARRAY_NEXT.lastIndex = end + quote.length;
  if (ARRAY_NEXT.exec(text)?.[1] === undefined) return -1;
  const next = ARRAY_NEXT.lastIndex;
  return text.startsWith(quote, next) ? next + quote.length : -1;
}

/**
 * Where a value quoted by `quote` ends ({@link valueEnd}), a quote doubled inside it (`'it''s'`,
 * as ADO.NET and ODBC write one) read as part of it.
 */
function settingEnd(text: string, start: number, quote: string): number {
  let end = valueEnd(text, start, quote);
  while (quote.length === 1 && text[end] === quote && text[end + 1] === quote)
    end = valueEnd(text, end + 2, quote);
  return end;
}

/** What may end a braced value, or stands before a character that is part of it. */
const BRACE_STOP = /[\n"\\}]/g;

/**
 * Where an ODBC value braced before `start` ends: its first `}` not doubled (`}}` is a `}` inside
 * it); or, cut before one, where the line or the JSON string holding it ends, an escape not split.
 */
function braceEnd(text: string, start: number): number {
  BRACE_STOP.lastIndex = start;
  for (let m = BRACE_STOP.exec(text); m !== null; m = BRACE_STOP.exec(text)) {
    const i = m.index;
    if (m[0] === '\n' || m[0] === '"' || (m[0] === '}' && text[i + 1] !== '}')) return i;
    // An escape, or a `}}`: the character after it is part of the value.
    BRACE_STOP.lastIndex = i + 2;
  }
  return text.length;
}

/**
 * How far past the backslash at `text[i]` a value's escapes run, less one: a run of backslashes
 * and, when it is odd, the character after it (`\'`). Two before the quote are a `\'` of the
 * value as a log line writes it, its backslash escaped (`\\'`), and hide the quote too: in free
 * text they would be a backslash of the value, and the quote its end — hiding more is the safe side.
 * Four are a backslash of the value either way.
 */
function escapedRun(text: string, i: number, q: string): number {
  let n = 1;
  while (text[i + n] === '\\') n += 1;
  return n % 2 === 1 || (n % 4 === 2 && text[i + n] === q) ? n : n - 1;
}

/**
 * Where the string opened by `quote` just before `start` ends: its first unescaped quote; or, cut
 * before one, where the text holding it ends — a line break, the end of the JSON string the value
 * was escaped in (a quote written as it is), or the text's end — so no escape is split and what
 * follows stays. `quote` is `"` or `'` as written, or `\"` / `\'` inside a JSON string (a log
 * line), where the value's own escapes are doubled: `\\\"` is an escaped quote inside it, `\\\\` a backslash.
 */
function valueEnd(text: string, start: number, quote: string): number {
  const q = quote.slice(-1);
  if (quote.length === 1) {
    for (let i = start; i < text.length; i++) {
      const c = text[i];
      // A value not double-quoted may hold a JSON string's end (a log line): it ends there.
      if (c === '\n' || (c === '"' && q !== '"')) return i;
      if (c === '\\') i += escapedRun(text, i, q);
      else if (c === q) return i;
    }
    return text.length;
  }
  for (let i = start; i < text.length; i++) {
    const c = text[i];
    // A quote written as it is ends the JSON string the value was escaped in.
    if (c === '\n' || c === '"') return i;
    if (c !== '\\') continue;
    const next = text[i + 1];
    if (next === q) return i;
    // An escaped backslash of the value: it escapes the value's next character, one written
    // escaped itself (`\\\"`, `\\\\`, `\\n`) or plain.
    if (next === '\\') i += text[i + 2] === '\\' ? 3 : 2;
    else i += 1;
  }
  return text.length;
}
