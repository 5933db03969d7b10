/**
 * A SQL tokenizer per dialect, for the query-stream guard (select-only.ts). It reads a query the
 * way the server's own lexer does — which comments exist, which quotes end a string, whether a
 * backslash escapes — because a guard that reads `1--1 FOR UPDATE` as "1 and a comment" while
 * MySQL reads "1 - -1 FOR UPDATE" checks a different query from the one that runs.
 *
 * Where a server setting changes the lexing (MySQL NO_BACKSLASH_ESCAPES, PostgreSQL
 * standard_conforming_strings), `lexings` returns one token list per setting and the guard checks
 * every one. What cannot be read with confidence is refused (an unterminated quote or comment,
 * MySQL's executable `/*! … *\/` comments), never guessed.
 */

export type SqlKind = 'postgres' | 'mysql' | 'mssql' | 'oracle' | 'sqlite';

export interface Token {
  kind: 'word' | 'quoted' | 'string' | 'number' | 'punct';
  /** A word upper-cased; a quoted identifier's name; a string's raw text; the punctuation itself. */
  text: string;
  /** Offsets in the query: [start, end). */
  start: number;
  end: number;
}

/** Why a query could not be tokenized; the message names no part of the query's values. */
export class LexError extends Error {}

interface Rules {
  /** `--` starts a comment only before white space or the end (MySQL), or always. */
  dashNeedsSpace: boolean;
  hashComment: boolean;
  nestedBlockComments: boolean;
  /** Characters that open a quoted identifier, with their closing character. */
  identQuotes: Readonly<Record<string, string>>;
  /** Characters that open a string literal. */
  stringQuotes: string;
  dollarQuotes: boolean;
  oracleQQuotes: boolean;
  /** Word characters beyond letters, digits and `_`. */
  wordExtra: RegExp;
  /** Word start characters beyond letters and `_` (SQL Server `@var`, `#temp`). */
  startExtra: RegExp;
}

const NONE = /(?!)/;

const RULES: Readonly<Record<SqlKind, Rules>> = {
  postgres: {
    dashNeedsSpace: false,
    hashComment: false,
    nestedBlockComments: true,
    identQuotes: { '"': '"' },
    stringQuotes: "'",
    dollarQuotes: true,
    oracleQQuotes: false,
    wordExtra: /[$]/,
    startExtra: NONE,
  },
  mysql: {
    dashNeedsSpace: true,
    hashComment: true,
    nestedBlockComments: false,
    identQuotes: { '`': '`' },
    // "…" is a string unless ANSI_QUOTES; lexed alike either way (the escape pass covers both).
    stringQuotes: `'"`,
    dollarQuotes: false,
    oracleQQuotes: false,
    wordExtra: /[$]/,
    startExtra: NONE,
  },
  mssql: {
    dashNeedsSpace: false,
    hashComment: false,
    nestedBlockComments: true,
    identQuotes: { '"': '"', '[': ']' },
    stringQuotes: "'",
    dollarQuotes: false,
    oracleQQuotes: false,
    wordExtra: /[$#@]/,
    startExtra: /[@#]/,
  },
  oracle: {
    dashNeedsSpace: false,
    hashComment: false,
    nestedBlockComments: false,
    identQuotes: { '"': '"' },
    stringQuotes: "'",
    dollarQuotes: false,
    oracleQQuotes: true,
    wordExtra: /[$#]/,
    startExtra: NONE,
  },
  sqlite: {
    dashNeedsSpace: false,
    hashComment: false,
    nestedBlockComments: false,
    identQuotes: { '"': '"', '`': '`', '[': ']' },
    stringQuotes: "'",
    dollarQuotes: false,
    oracleQQuotes: false,
    wordExtra: /[$]/,
    startExtra: NONE,
  },
};

const LETTER = /[A-Za-z_\u0080-\uFFFF]/;
const DIGIT = /[0-9]/;
const DOLLAR_TAG = /^\$([A-Za-z_\u0080-\uFFFF][A-Za-z0-9_\u0080-\uFFFF]*)?\$/;
const Q_CLOSE: Readonly<Record<string, string>> = { '[': ']', '{': '}', '<': '>', '(': ')' };

/**
 * Every way the server may tokenize `sql`, one token list each (comments and white space
 * dropped). Throws LexError when the query cannot be read with confidence.
 */
export function lexings(sql: string, kind: SqlKind): Token[][] {
  // MySQL: backslash escapes unless NO_BACKSLASH_ESCAPES. PostgreSQL: in '…' only when
  // standard_conforming_strings is off (the default before 9.1); E'…' always.
  if (kind === 'mysql' || kind === 'postgres') return [lex(sql, kind, true), lex(sql, kind, false)];
  return [lex(sql, kind, false)];
}

export function lex(sql: string, kind: SqlKind, backslashEscapes: boolean): Token[] {
  const r = RULES[kind];
  const tokens: Token[] = [];
  const n = sql.length;
  let i = 0;
  const push = (k: Token['kind'], text: string, start: number, end: number) => {
    tokens.push({ kind: k, text, start, end });
  };
  while (i < n) {
    const c = sql[i] as string;
    const next = sql[i + 1];
    if (/\s/.test(c)) {
      i += 1;
    } else if (
      c === '-' &&
      next === '-' &&
      (!r.dashNeedsSpace || i + 2 >= n || sql.charCodeAt(i + 2) <= 32)
    ) {
      const end = sql.indexOf('\n', i);
      i = end < 0 ? n : end + 1;
    } else if (c === '#' && r.hashComment) {
      const end = sql.indexOf('\n', i);
      i = end < 0 ? n : end + 1;
    } else if (c === '/' && next === '*') {
      if (kind === 'mysql' && /^\/\*(!|M!|\+)/.test(sql.slice(i, i + 4))) {
        throw new LexError(
          'MySQL runs the text of `/*! … */` and `/*+ … */` comments; write the query without them',
        );
      }
      i = skipBlockComment(sql, i, r.nestedBlockComments);
    } else if (r.oracleQQuotes && /[qQ]/.test(c) && next === "'") {
      i = qQuote(sql, i + 2, tokens);
    } else if (r.oracleQQuotes && /[nN]/.test(c) && /[qQ]/.test(next ?? '') && sql[i + 2] === "'") {
      i = qQuote(sql, i + 3, tokens);
    } else if (kind === 'postgres' && /[eE]/.test(c) && next === "'" && !wordBefore(sql, i, r)) {
      const end = quoted(sql, i + 1, "'", true);
      push('string', sql.slice(i, end), i, end);
      i = end;
    } else if (r.stringQuotes.includes(c)) {
      const end = quoted(sql, i, c, backslashEscapes);
      push('string', sql.slice(i, end), i, end);
      i = end;
    } else if (r.identQuotes[c] !== undefined) {
      const close = r.identQuotes[c] as string;
      const end = quoted(sql, i, close, false, c);
      const inner = sql.slice(i + 1, end - 1).replaceAll(close + close, close);
      push('quoted', inner, i, end);
      i = end;
    } else if (c === '$' && r.dollarQuotes && DOLLAR_TAG.test(sql.slice(i, i + 128))) {
      const tag = (DOLLAR_TAG.exec(sql.slice(i, i + 128)) as RegExpExecArray)[0];
      const close = sql.indexOf(tag, i + tag.length);
      if (close < 0) throw new LexError(`an unterminated ${tag.length > 20 ? 'dollar' : tag} quote`);
      push('string', sql.slice(i, close + tag.length), i, close + tag.length);
      i = close + tag.length;
    } else if (LETTER.test(c) || r.startExtra.test(c)) {
      let j = i + 1;
      while (
        j < n &&
        (LETTER.test(sql[j] as string) || DIGIT.test(sql[j] as string) || r.wordExtra.test(sql[j] as string))
      )
        j += 1;
      push('word', sql.slice(i, j).toUpperCase(), i, j);
      i = j;
    } else if (DIGIT.test(c)) {
      // Digits only: `1FOR` is `1` then `FOR` on PostgreSQL before 15, so letters start a new word.
      let j = i + 1;
      while (j < n && /[0-9.]/.test(sql[j] as string)) j += 1;
      push('number', sql.slice(i, j), i, j);
      i = j;
    } else {
      push('punct', c, i, i + 1);
      i += 1;
    }
  }
  return tokens;
}

/** Whether the character before `i` continues a word (so `name'…'` is not an E-string). */
function wordBefore(sql: string, i: number, r: Rules): boolean {
  const p = sql[i - 1];
  return p !== undefined && (LETTER.test(p) || DIGIT.test(p) || r.wordExtra.test(p));
}

function skipBlockComment(sql: string, start: number, nested: boolean): number {
  let depth = 0;
  let i = start;
  while (i < sql.length) {
    if (sql.startsWith('/*', i) && (nested || depth === 0)) {
      depth += 1;
      i += 2;
    } else if (sql.startsWith('*/', i)) {
      depth -= 1;
      i += 2;
      if (depth === 0) return i;
    } else {
      i += 1;
    }
  }
  throw new LexError('an unterminated /* comment');
}

/**
 * End offset (exclusive) of the quoted text opening at `start`. A doubled closing character is an
 * escaped one; with `backslash`, `\` escapes the next character.
 */
function quoted(sql: string, start: number, close: string, backslash: boolean, open = close): number {
  let i = start + 1;
  while (i < sql.length) {
    const c = sql[i];
    if (backslash && c === '\\') {
      i += 2;
    } else if (c === close) {
      if (sql[i + 1] === close && close === open) i += 2;
      else if (sql[i + 1] === close && close === ']') i += 2;
      else return i + 1;
    } else {
      i += 1;
    }
  }
  throw new LexError(`an unterminated ${open} quote`);
}

/** Oracle alternative quoting `q'[…]'`: the text runs to the closing delimiter followed by `'`. */
function qQuote(sql: string, delimiterAt: number, tokens: Token[]): number {
  const open = sql[delimiterAt];
  if (open === undefined || /\s/.test(open)) throw new LexError("a q'…' quote without a delimiter");
  const close = Q_CLOSE[open] ?? open;
  const end = sql.indexOf(`${close}'`, delimiterAt + 1);
  if (end < 0) throw new LexError("an unterminated q'…' quote");
  tokens.push({
    kind: 'string',
    text: sql.slice(delimiterAt - 2, end + 2),
    start: delimiterAt - 2,
    end: end + 2,
  });
  return end + 2;
}
