/**
 * Values a database driver quotes in its message, hidden. Drivers quote the row's values:
 * `Duplicate entry '张三' for key …` (MySQL), `invalid input syntax for type date: "张三"` and
 * `Key (holder_id)=(…) already exists` (PostgreSQL), `The duplicate key value is (张三)` (SQL
 * Server). A holder's name has no shape to mask (core/mask.ts masks ID and phone numbers), so what
 * stands between the quotes goes whole; the quotes stay, so the message still reads. A licbridge
 * error quotes them too when it wraps a driver's words (`source x: query failed: …`).
 */

/**
 * After a digit a quote is a foot, inch, minute or second mark (`5' 10"`, `39°54'20"N`) unless a
 * letter follows it, other than a compass point standing alone (`39°54'N`) or, after an
 * apostrophe, an `s` (`1990's`): then it opens a value glued to a row's number (`row 3'张三'`,
 * `row 3"张三"已存在`, and `row 3'张三` cut short, which went out whole), as it does before the
 * `***` a first pass put in its quotes (`row 3'***'`, read so again by the second).
 */
const DIGIT_THEN_VALUE = (quote: string): string =>
  `(?<=[0-9])(?=${quote}(?:\\p{L}|\\*\\*\\*${quote}))(?!${quote}[NSEW${quote === "'" ? 's' : ''}](?![\\p{L}\\p{N}]))`;
/**
 * An apostrophe between two ASCII letters (`certificate's`, `can't`, `O'Brien`) is part of a word:
 * it neither opens a quote (Node's `certificate's altnames: Host: … is not in the cert's altnames`
 * hid the host between two of them) nor ends one (`'O'Brien'` is one value). A letter standing
 * alone before it is an SQL literal's prefix, and the quote opens: `N'张三'` (national, SQL Server
 * and MySQL), `E'…'` (PostgreSQL escapes), `X'…'` (hex), in either case.
 *
 * A quote escaped by a backslash inside a value (`"Zhang \"San\""`, as JSON and MySQL write it)
 * ends nothing: taken for the end, it showed the rest of the value (`San`). A backslash that ends
 * a value (`'C:\dir\'`) still lets its quote close it, and is read so first where the longer
 * reading would close the value against the next word: in `'C:\dir\' for 'Zhang San`, the
 * escape's reading took `' for '` for the value and left the name out of any. Chinese text quotes
 * with corner brackets (`「张三」`, `『张三』`), full-width quotes (`＂张三＂`, `＇张三＇`),
 * lenticular brackets (`【张三】`) and angle title marks (`《张三》`), as a form or a platform's
 * answer in Chinese does: hidden as ASCII quotes are. The last two were not read as quotes, and a
 * name in them went out whole.
 *
 * A quote never closed (a legacy row's text or a driver's message cut at a length limit: `holder
 * "Zhang San`, `姓名「张三`) opens a value whose end cannot be told: hidden to the end of its line,
 * as a key's values in a `(` never closed are. Read as no quote, the name went out whole.
 *
 * SQL writes an apostrophe inside a string literal doubled (`'O''Brien'`, `'Zhang''s San'`), as knex
 * does where it pastes a statement's values into a driver's error: a doubled apostrophe ends no
 * value. Read as the end of one value and the start of the next, it showed `O''Brien` whole. An
 * empty value (`values ('', 'Zhang San')`) still closes where it opens, as no second apostrophe
 * follows its first.
 *
 * A value's characters are read one way only (a backslash always escapes the next character), so a
 * value that never closes is given up in time growing with its length: read both ways, a run of
 * 34 backslashes after a quote took 0.6 s, and each two more about twice as long.
 */
const APOSTROPHE = `(?:(?<=(?:^|[^A-Za-z0-9])[NEXnex]?)|${DIGIT_THEN_VALUE("'")})'`;
const APOSTROPHE_BODY = "(?:[^'\\n\\\\]|\\\\[^\\n]|''|(?<=[A-Za-z])'(?=[A-Za-z]))*";
const DOUBLE_QUOTE_BODY = '(?:[^"\\n\\\\]|\\\\[^\\n])*';
/** What may not follow a value's end where another reading of it ends otherwise: a letter or digit. */
const NO_WORD_AFTER = '(?![\\p{L}\\p{N}])';
/**
 * An apostrophe between two ASCII letters ends no value, as it opens none: read as the end of a
 * value cut short (`Duplicate entry 'O'Brien 张三`), it let the rest out whole.
 */
const NOT_IN_WORD = "(?!(?<=[A-Za-z]')[A-Za-z])";
/**
 * A double quote glued after a digit opens a value only as {@link DIGIT_THEN_VALUE} says: as a mark
 * it opens no value never closed (one hid the rest of its line), nor one closed before a word, which
 * left the value the next quote opened out of any pair (`size 10" holder "张三"` showed the name).
 * A value closed before no word is read from it as from any quote (`10" 张三"`).
 */
const OPENING_DOUBLE = `(?:(?<![0-9])|${DIGIT_THEN_VALUE('"')})"`;
/**
 * A double quote closing a value before no letter or digit ({@link NO_WORD_AFTER}): after a digit,
 * not before a mask either. A second pass reads the first's `***` where a letter stood: the quote
 * before it (`size 10" holder "***" refused`) closed the inch mark's value, and the one after it
 * then opened a value never closed, which hid the words after it (`size 10"***"***"***`).
 */
const DOUBLE_CLOSED = `(?:(?<![0-9])"${DOUBLE_QUOTE_BODY}|(?<=[0-9])"${DOUBLE_QUOTE_BODY}(?=\\\\?"(?!\\*)))`;
const PAIRS = [
  ['‘', '’'],
  ['“', '”'],
  ['「', '」'],
  ['『', '』'],
  ['＂', '＂'],
  ['＇', '＇'],
  ['【', '】'],
  ['《', '》'],
] as const;
/**
 * Each ASCII quote read three ways, in this order: a backslash escaping the quote after it, the
 * value closed before no letter or digit; a backslash ending the value, closed so; the first
 * reading, closed before anything. Group 1: the opening quote of a value never closed on its line.
 * Its source: tried sticky, at one place ({@link replaceQuoted}), and made a pattern at its first
 * use, as parsing it took 2-3 ms, paid on every load of this module once the engine's cache of
 * patterns had let it go (each test file loads it anew).
 */
const QUOTED = [
  `${APOSTROPHE}${APOSTROPHE_BODY}'${NO_WORD_AFTER}`,
  `${APOSTROPHE}${APOSTROPHE_BODY}\\\\'${NO_WORD_AFTER}`,
  `${APOSTROPHE}${APOSTROPHE_BODY}'${NOT_IN_WORD}`,
  `${DOUBLE_CLOSED}"${NO_WORD_AFTER}`,
  `${DOUBLE_CLOSED}\\\\"${NO_WORD_AFTER}`,
  `${OPENING_DOUBLE}${DOUBLE_QUOTE_BODY}"`,
  ...PAIRS.map(([open, close]) => `${open}[^${close}\\n]*${close}`),
  `(${APOSTROPHE}|${OPENING_DOUBLE}|[${PAIRS.map(([open]) => open).join('')}])[^\\n]*`,
].join('|');
let quotedAt: RegExp | undefined;
/** The character every reading of QUOTED starts with: an ASCII quote or an opening one of PAIRS. */
const QUOTE_START = new RegExp(`['"${PAIRS.map(([open]) => open).join('')}]`);
const QUOTE_STARTS = new RegExp(QUOTE_START.source, 'g');

/**
 * `text.replace(QUOTED, hide)` with QUOTED global, QUOTED tried only where a quote stands: replace
 * tried it at every character, each try running its lookbehinds, which cost more than the rest of
 * the masking.
 */
function replaceQuoted(
  text: string,
  hide: (q: string, unclosed: string | undefined, at: number, whole: string) => string,
): string {
  let out = '';
  let from = 0;
  quotedAt ??= new RegExp(QUOTED, 'uy');
  QUOTE_STARTS.lastIndex = 0;
  for (let q = QUOTE_STARTS.exec(text); q !== null; q = QUOTE_STARTS.exec(text)) {
    quotedAt.lastIndex = q.index;
    const m = quotedAt.exec(text);
    if (m === null) continue;
    out += `${text.slice(from, m.index)}${hide(m[0], m[1], m.index, text)}`;
    from = quotedAt.lastIndex;
    QUOTE_STARTS.lastIndex = from;
  }
  return out + text.slice(from);
}
/** The character every ESCAPED_QUOTE starts with. */
const ESCAPE_START = /[&\\]/;
/** The letter before an opening apostrophe, which QUOTED allows only as a literal's prefix. */
const LITERAL_PREFIX = /[A-Za-z]/;
/** Group 1: the opening backtick of a value never closed on its line. */
const BACKTICKED = /`[^`\n]*`|(`)[^\n]*/g;
/**
 * Where a driver writes a key's or a row's values in parentheses: `Key (cols)=(…)`, `The duplicate
 * key value is (…)`, and PostgreSQL's `Failing row contains (…)` (a check or not-null constraint's
 * detail, the whole row: a name in it went out whole) and `Partition key of the failing row
 * contains (cols) = (…)` (a row no partition takes). Only that detail opens after `= (`: any `= (`
 * did, and hid a scalar subquery in a statement a driver quotes (`region = (select code from
 * T_REGION …)`, where ORA-00942 names its missing table) or, closed by nothing it could tell, the
 * rest of the line (`status = (503) Service Unavailable`).
 */
const KEY_VALUE_OPENER =
  /(?:=|value is |Failing row contains |[Pp]artition key of the failing row contains \([^\n]*?\) = )\(/g;
/**
 * What may follow the `)` that ends a key's values: the end, a stop, or a word of the driver's
 * sentence (`) already exists`, `) conflicts with`, `). The statement has been terminated.`), a
 * licbridge code (`[LB_…]`), or the end of what encloses it (`` `(SECURITY=(…))` ``). A business
 * is often named with its city or branch in parentheses (`某某食品(北京)有限公司`): the first `)`
 * ends no key's values when a name's characters, or a comma and the next value, follow it.
 */
const KEY_VALUE_END = /^(?:$|[.;:\])`'"]|\s(?:[a-z[]|$))/;
/**
 * A quoted name of a table, a column, an index or a constraint (`'uk_holder'`, `"FZRQ"`,
 * `'dbo.T_XKZ'`): ASCII letters, digits, `_`, `$`, `#` and dots, starting with a letter or `_`.
 * A name of a person is Han or holds a space; a date, a number or an ID number starts with a digit.
 */
const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_$#.]*$/;
/**
 * A quoted path of a file a Node or driver error names (`open '/etc/licbridge/seal.pem'`,
 * `'C:\\licbridge\\key.pem'`, `'./out/x.ofd'`), for a person to act on: it starts at a root, a
 * drive, `.` or `~` and holds printable ASCII only, so a path holding a Han name is hidden.
 */
const FILE_PATH = /^(?:[A-Za-z]:[\\/]|\.{0,2}[\\/]|~[\\/])[\x20-\x7e]*$/;

/**
 * A host MySQL and MariaDB quote in an account (`Access denied for user 'root'@'10.0.0.5'`) or a
 * refusal (`Host '10.0.0.5' is not allowed to connect`): the client's address as the server saw
 * it, which names the grant to fix; and the server a client could not reach (`Can't connect to
 * MySQL server on '10.0.0.5' (111)`), which names the address to check. Neither holds a
 * credential or row data (scrubSecrets takes passwords, from URLs too). A host name, an IPv4 or
 * IPv6 address, or a `%` wildcard.
 */
const HOST = /^[A-Za-z0-9.:%_-]+$/;
const HOST_BEFORE = /(?:'@|\bHost |\bserver on )$/;

export interface HideQuotedOptions {
  /** Hide what stands between backticks too: a driver's text (licbridge's own backticks name config values). */
  backticks: boolean;
  /** Keep a quoted text that reads as a database identifier ({@link IDENTIFIER}) or a file's path ({@link FILE_PATH}), for a person to act on. */
  keepIdentifiers?: boolean;
}

/**
 * Words after which a driver quotes a row's value, never a name (`Duplicate entry 'zhangsan'`,
 * `the nvarchar value 'zhangsan'`, `Incorrect integer value: 'x'`, `for type date: "x"`): what
 * they quote is hidden even when it reads as an identifier, as a pinyin name does.
 */
const VALUE_BEFORE = /(?:\bentry|\bvalue(?: is)?:?|\bfor (?:type|enum) [^:'"\n]{1,40}:) $/i;

/** An SQL literal (`N'Zhangsan'`) is a value, never a name, whatever it reads as. */
const isLiteral = (at: number, whole: string): boolean =>
  whole[at] === "'" && LITERAL_PREFIX.test(whole[at - 1] ?? '');

/** `text` with each quoted value, and each key value in parentheses, replaced by `***`. */
export function hideQuoted(text: string, options: HideQuotedOptions): string {
  const kept = (inner: string, at: number, whole: string): boolean => {
    const before = whole.slice(Math.max(0, at - 60), at);
    if (HOST.test(inner) && HOST_BEFORE.test(before)) return true;
    return (IDENTIFIER.test(inner) || FILE_PATH.test(inner)) && !VALUE_BEFORE.test(before);
  };
  const hide = (q: string, unclosed: string | undefined, at: number, whole: string): string => {
    // A value never closed: what it would read as cannot be told, as its end is not there.
    if (unclosed !== undefined) return `${unclosed}***`;
    return options.keepIdentifiers === true && !isLiteral(at, whole) && kept(q.slice(1, -1), at, whole)
      ? q
      : `${q[0]}***${q.at(-1)}`;
  };
  const keptEscaped = (inner: string, at: number, whole: string): boolean =>
    options.keepIdentifiers === true && kept(inner, at, whole);
  let out = text;
  // Each pattern's match starts with a character it looks for first: most messages hold none
  // (`connect ECONNREFUSED …`), and QUOTED, tried at every character, cost more than the rest.
  if (ESCAPE_START.test(out)) out = hideEscapedQuoted(out, keptEscaped);
  if (QUOTE_START.test(out)) out = replaceQuoted(out, hide);
  if (out.includes('(')) out = hideKeyValues(out);
  return options.backticks && out.includes('`') ? out.replace(BACKTICKED, hide) : out;
}

/**
 * A quote written escaped, as a gateway's HTML error page, an XML text or a JSON string inside
 * another one writes it (`holder &quot;张三&quot; exists`, `Duplicate entry &#39;张三&#39;`,
 * `\u0022张三\u0022`): read as none, the name between went out whole. Double and single ones.
 */
const ESCAPED_QUOTE = /&quot;|&apos;|&#0*(?:34|39);|&#[xX]0*(?:22|27);|\\u00(?:22|27)/g;
const ESCAPED_DOUBLE = /quot|34|22/;
const WORD_END = /[A-Za-z0-9]{2}$/;

/**
 * `text` with what each escaped quote holds replaced by `***`, up to the next escaped quote of the
 * same kind on its line, or to the end of the line when none closes it; a value `kept` says to
 * keep (a quoted table or key name) stays.
 */
function hideEscapedQuoted(
  text: string,
  kept: (inner: string, at: number, whole: string) => boolean,
): string {
  const quotes = Array.from(text.matchAll(ESCAPED_QUOTE), (m) => ({
    at: m.index,
    end: m.index + m[0].length,
    double: ESCAPED_DOUBLE.test(m[0]),
  }));
  let out = '';
  let from = 0;
  let lineEnd = -1;
  for (let i = 0; i < quotes.length; i++) {
    const open = quotes[i];
    if (open === undefined || open.at < from) continue;
    // An apostrophe ending a word (`licenses&#39; latest`) opens nothing, as in APOSTROPHE.
    if (!open.double && WORD_END.test(text.slice(Math.max(0, open.at - 2), open.at))) continue;
    // The end of the quote's line, found again only past it: found for each quote, a long line of
    // them was read once per quote.
    if (lineEnd < open.end) {
      const line = text.indexOf('\n', open.end);
      lineEnd = line < 0 ? text.length : line;
    }
    // Looked for on the opening quote's line only, so no line is read again for each quote before it.
    let j = i + 1;
    while (j < quotes.length && (quotes[j]?.at ?? 0) <= lineEnd && quotes[j]?.double !== open.double) j++;
    const close = quotes[j];
    out += text.slice(from, open.end);
    if (close === undefined || close.at > lineEnd) {
      out += '***';
      from = lineEnd;
      continue;
    }
    const inner = text.slice(open.end, close.at);
    out += kept(inner, open.at, text) ? inner : '***';
    from = close.at;
    i = j;
  }
  return out + text.slice(from);
}

/**
 * `text` with the values of each key a driver writes in parentheses ({@link KEY_VALUE_OPENER})
 * replaced by `***`, up to the `)` that closes every parenthesis opened in them and is followed by
 * what may follow them ({@link KEY_VALUE_END}); a value whose end cannot be told (a `(` never
 * closed) is hidden to the end of its line, as nothing after it can be told from the value.
 */
function hideKeyValues(text: string): string {
  let out = '';
  let from = 0;
  for (const open of text.matchAll(KEY_VALUE_OPENER)) {
    const start = open.index + open[0].length;
    if (start <= from) continue;
    out += text.slice(from, start);
    const end = keyValueEnd(text, start);
    if (end >= 0) {
      out += '***)';
      from = end + 1;
    } else {
      const line = text.indexOf('\n', start);
      out += '***';
      from = line < 0 ? text.length : line;
    }
  }
  return out + text.slice(from);
}

/**
 * Index of the `)` ending the key's values that start at `start`, or -1 when none does. A range
 * among them opens with `[` or `(` and closes with `]` or `)` (`[2024-01-01,2025-01-01)`, as an
 * exclusion constraint's key holds one): its `)` ends no values, though a `)` follows it.
 */
function keyValueEnd(text: string, start: number): number {
  let depth = 0;
  for (let i = start; i < text.length; i++) {
    const c = text[i];
    if (c === '\n') return -1;
    if (c === '(' || c === '[') depth += 1;
    else if (c === ']') depth = Math.max(0, depth - 1);
    else if (c === ')') {
      if (depth > 0) depth -= 1;
      else if (KEY_VALUE_END.test(text.slice(i + 1, i + 3))) return i;
    }
  }
  return -1;
}
