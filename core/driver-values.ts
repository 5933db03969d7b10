/**
 * The values of a row a database driver names in its own words, hidden where a text keeps its
 * quotes (a log line: ./labelled-names.ts hideLabelledNames runs on each of its texts). An error's
 * text hides every quoted value and a key's values already (./quoted-values.ts), but the same words
 * logged as a field (a knex warning's `detail`, a caller's `reason`) or a message's argument went
 * out whole: a holder's name there has no shape to mask. The column names, the key and the
 * driver's sentence stay, for a person to find the row and the constraint by.
 *
 * Which values are hidden: those that could be a person's name or are free text, and a failing
 * row's (every column of a row, with no column named). A value is such when one of its parts (the
 * values a `, ` parts) is not a code: Han characters, a space between words, letters without a
 * digit (`zhangsan`), or a character no code holds (`O'Brien`, a name's bytes `\xE5…`). So are all
 * of a key's values when its columns, its key or constraint (MySQL's `for key 'uk_xm'`, SQL
 * Server's `constraint 'UK_XM'`) name a person ({@link PERSON_WORD}). Else the values are codes an
 * operator finds the row by (`Key (license_no)=(L2024010100012)`, `(unit_id)=(12)`, a run id) and
 * are shown: a log line masks an ID or mobile number among them by its shape after this pass
 * (`Key (sfzh)=(1101**********1234)`). 2238297f hid them all, and nothing told which license or
 * unit a refused row was.
 */
import { PINYIN_ROLES } from './name-labels.js';

/** A key's column list, an expression among them one level deep (`lower(xm::text)`). */
const COLUMNS = '(?:[^()\\n]|\\([^()\\n]*\\))*';
/**
 * Where a driver's values in parentheses open: PostgreSQL's `Key (cols)=(…)`, and an exclusion
 * constraint's `conflicts with existing key (cols)=(…)` after it (and Kingbase's or a
 * Chinese server's `键值"(cols)=(…)"`, `键值对(cols)=(…)`), its `Failing row contains (…)` (`失败,
 * 行包含(…)`) and `Partition key of the failing row contains (cols) = (…)`, and SQL Server's `The
 * duplicate key value is (…)`.
 */
const PAREN_OPENER = new RegExp(
  `(?:\\b[Kk]ey \\(${COLUMNS}\\) ?= ?|键值对?"?\\(${COLUMNS}\\) ?= ?|\\b[Pp]artition key of the failing row contains \\(${COLUMNS}\\) = |\\bFailing row contains |失败, ?行包含|\\bThe duplicate key value is )\\(`,
  'g',
);
/**
 * What may follow the `)` that ends the values: the end, a stop, a quote, a space or the Chinese
 * sentence (`)没有在表…`), or its full-width punctuation (`)，重复`: the values were hidden to the
 * line's end). Not `,`: a value holding a `)` of its own (`张三), 李四)`) goes on.
 */
const PAREN_END = /^(?:$|[.;:"'\])\s，。；：）、！？]|[\u4E00-\u9FFF])/u;
/**
 * The `)` before PostgreSQL's words after a key's values (Kingbase's, a Chinese server's): the first
 * on the line ends them, whatever `)` a value holds (`Key (bz, xm)=(x) y, 张三) already exists.`
 * ended at `x)` and showed the rest).
 */
const KEY_VALUES_END =
  /\)(?="? ?(?:already exists|is not present in table|conflicts with existing key|已经存在|已存在|没有在表))/g;
/**
 * Where a driver's quoted value opens: MySQL's `Duplicate entry '…' for key …` and `Incorrect
 * string value: '\xE5…' for column …` (the bytes of a name it could not store), SQL Server's
 * `converting the nvarchar value '…' to data type …`, PostgreSQL's `invalid input syntax for type
 * integer: "…"` (`for integer` up to PostgreSQL 11), `malformed array literal: "…"` and `date/time
 * field value out of range: "…"`.
 */
const QUOTE_OPENER =
  /(?:\bDuplicate entry |\b[Ii]ncorrect [A-Za-z ]{1,30}? value: |\bconverting the [a-z]+ value )'|(?:\binvalid input (?:syntax for(?: type)?|value for enum) [^:"\n]{1,40}|\bmalformed [a-z ]{1,30}? literal|\bdate\/time field value out of range): "/g;
/** Where such a quoted value ends by the driver's own words after it: a value may hold the quote. */
const QUOTE_CLOSER = /'(?= for (?:key|column)\b| to data type\b)/g;
/** Else a quote before no letter or digit ends it (`"张三" in column "FZRQ"`). */
const SINGLE_CLOSER = /'(?![\p{L}\p{N}])/gu;
const DOUBLE_CLOSER = /"(?![\p{L}\p{N}])/gu;
const BRACKET_OR_QUOTE = /[('"]/;
/**
 * Words of a column, a key or a constraint that names a person's value: the labels
 * ./labelled-names.ts reads (姓名 and its initials `xm`, `xingming`, `holder`, `guardian`, `agent`,
 * `recipient`, a role's Han label or its pinyin initials, ./name-labels.ts `PINYIN_ROLES`), and
 * `name`. In any case, anywhere in the name (`czrxm`, `uk_holder`, `T_LXR`).
 */
const PERSON_WORD = new RegExp(
  `xm|xingming|name|holder|guardian|agent|recipient|person|姓名|名字|人|户主|${PINYIN_ROLES.join('|')}`,
  'i',
);
/** A code's part: ASCII letters, digits and the joiners of a code, one digit at least. */
const CODE_PART = /^[A-Za-z0-9._:/#+-]*[0-9][A-Za-z0-9._:/#+-]*$|^null$/;

/** Whether `values`, read in the words `context` (their columns, key or constraint), stay hidden. */
function mayName(values: string, context: string): boolean {
  return PERSON_WORD.test(context) || !values.split(/, ?/).every((part) => CODE_PART.test(part));
}
/** A word each opener holds: a text without one, most log lines, is not read further. */
const DRIVER_WORD =
  /[Kk]ey ?\(|键值|行包含|row contains|key value is|Duplicate entry|ncorrect|converting the|invalid input|malformed|out of range/;

/** `text` with each value a driver names in its key's or its row's words replaced by `***`. */
export function hideDriverValues(text: string): string {
  // Each opener ends in a bracket or a quote: a text without one is not read for the words.
  if (!BRACKET_OR_QUOTE.test(text) || !DRIVER_WORD.test(text)) return text;
  return hideQuotedValues(hideParenValues(text));
}

/**
 * The first place `find` finds at or after a position, searched again only past where it last
 * found one (or anywhere, when it found none to the text's end): each opener searched for its
 * closing quote, and for its line's end, to the end of the text, so a long line of openers no
 * driver's words close was read once for each (2238297f: a 200 KB line took 2.1 s).
 */
function firstFrom(find: (from: number) => number): (from: number) => number {
  let searched = Number.POSITIVE_INFINITY;
  let found = -1;
  return (from) => {
    if (from >= searched && (found < 0 || from <= found)) return found;
    searched = from;
    found = find(from);
    return found;
  };
}

const byPattern =
  (re: RegExp, text: string) =>
  (from: number): number => {
    re.lastIndex = from;
    return re.exec(text)?.index ?? -1;
  };

function lineEnds(text: string): (from: number) => number {
  const next = firstFrom((from) => text.indexOf('\n', from));
  return (from) => {
    const end = next(from);
    return end < 0 ? text.length : end;
  };
}

/** The words on the line before `at`, up to 200 characters (SQL Server's constraint and object). */
function wordsBefore(text: string, at: number): string {
  const before = text.slice(Math.max(0, at - 200), at);
  return before.slice(before.lastIndexOf('\n') + 1);
}

function hideParenValues(text: string): string {
  const lineEnd = lineEnds(text);
  const keyEnd = firstFrom(byPattern(KEY_VALUES_END, text));
  let out = '';
  let from = 0;
  for (const open of text.matchAll(PAREN_OPENER)) {
    const start = open.index + open[0].length;
    if (start <= from) continue;
    // A key's values only: a row's or SQL Server's have no such words after them.
    const byWords = /row contains|行包含|value is/.test(open[0]) ? -1 : keyEnd(start);
    const end = byWords >= 0 && byWords < lineEnd(start) ? byWords : parenEnd(text, start);
    const last = end < 0 ? lineEnd(start) : end;
    // A row's values are every column's; SQL Server names its constraint before the words.
    const row = /row contains|行包含/.test(open[0]);
    const context = open[0].includes('value is') ? wordsBefore(text, open.index) : open[0];
    const hide = row || end < 0 || mayName(text.slice(start, last), context);
    out += text.slice(from, start) + (hide ? '***' : text.slice(start, last));
    // A value cut short (no `)` ends it on its line): what follows it cannot be told from it.
    from = end < 0 ? lineEnd(start) : end;
  }
  return out + text.slice(from);
}

/** Index of the `)` closing the values that start at `start`, or -1 when none does on its line. */
function parenEnd(text: string, start: number): number {
  let depth = 0;
  for (let i = start; i < text.length; i++) {
    const c = text[i];
    if (c === '\n') return -1;
    if (c === '(') depth += 1;
    else if (c === ')') {
      if (depth > 0) depth -= 1;
      else if (PAREN_END.test(text.slice(i + 1, i + 2))) return i;
    }
  }
  return -1;
}

function hideQuotedValues(text: string): string {
  let out = '';
  let from = 0;
  // Each searched forward once: a value's opener only moves on, so a closer or a line's end found
  // past it serves the next (2238297f searched from each opener to the text's end: a 200 KB line
  // of `Duplicate entry 'a' for ` took 2.1 s).
  const lineEnd = forwardSearch(/\n/g, text);
  const closers = {
    driver: forwardSearch(QUOTE_CLOSER, text),
    single: forwardSearch(SINGLE_CLOSER, text),
    double: forwardSearch(DOUBLE_CLOSER, text),
  };
  for (const open of text.matchAll(QUOTE_OPENER)) {
    const start = open.index + open[0].length;
    if (start <= from) continue;
    const stop = lineEnd(start);
    // The quote before the driver's next words, or else the first before no letter or digit: a
    // name may hold one (`O'Brien`), and a value cut short has none, and is hidden to the line's end.
    let close = open[0].at(-1) === "'" ? closers.driver(start) : closers.double(start);
    if (close >= stop && open[0].at(-1) === "'") close = closers.single(start);
    const end = Math.min(close, stop);
    // MySQL names the key or the column after the value (`' for key 'uk_xm'`).
    const context = open[0] + text.slice(end, Math.min(stop, end + 80));
    const hide = end === stop || mayName(text.slice(start, end), context);
    out += text.slice(from, start) + (hide ? '***' : text.slice(start, end));
    from = end;
  }
  return out + text.slice(from);
}

/**
 * A search for `re` (global) at or after a place that only moves forward: the match found is kept
 * while it lies ahead, so the text is read once however many places ask. The text's length where
 * none is.
 */
function forwardSearch(re: RegExp, text: string): (from: number) => number {
  let found = -1;
  return (from) => {
    if (found >= from || found === text.length) return found;
    re.lastIndex = from;
    found = re.exec(text)?.index ?? text.length;
    return found;
  };
}
