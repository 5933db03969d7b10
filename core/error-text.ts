/**
 * An error's words as they may be shown, logged or stored: the one place a driver's, a gateway's or
 * licbridge's own message is made safe. failureMessage and errorLine (./errors.ts) give it an
 * error's message, and so a failed check's message in the ledger, a source's error in `status`,
 * /readyz and the lag probe, a job's failed reason in Redis, a dead letter's reason, the error of a
 * run given up, what the CLI prints and a log line all hide the same things.
 */

import { PLACEHOLDER_SOURCE } from './credential-words.js';
import { maskIndividualBusinessCodes } from './individual-business-code.js';
import { hideLabelledNames } from './labelled-names.js';
import { maskGroupedCards, maskNumberShapes, maskPersonalShapes } from './personal-shapes.js';
import { hideQuoted } from './quoted-values.js';
import { scrubNumbers, scrubPersonal, scrubSecrets } from './scrub.js';

/** Characters of an error's message kept: enough to name the cause, not a driver's dump. */
const MESSAGE_LIMIT = 300;

/**
 * A password given in a connection string (`Server=db;User Id=sa;Password=…;`, ODBC's `PWD=…`), but
 * a SQL statement's placeholder where one goes (`SET password = $1`, `?`, `:1`, `@p1`): no password.
 */
const PASSWORD_SETTING = new RegExp(
  String.raw`\b(password|pwd)(\s*=\s*)(?!${PLACEHOLDER_SOURCE}(?![^;\s,)]))[^;\s]+`,
  'gi',
);
/**
 * The login a driver names (`for user "app"`, `role "app" does not exist`, `Access denied for user
 * 'app'@'host'`, `Login failed for user 'app'`), or licbridge after it (``login failed as user
 * `app` ``): the quoted name, and the host quoted after it.
 */
const LOGIN = /\b((?:user(?:name)?|role|login)\s*[=:]?\s*)(["'`])[^"'`]*\2(@(["'`])[^"'`]*\4)?/gi;
/**
 * The login Oracle names without quotes as it refuses it for want of CREATE SESSION (`ORA-01045:
 * user LB_READER lacks CREATE SESSION privilege`, since 23ai `User LB_READER does not have CREATE
 * SESSION privilege`), where LOGIN looks for quotes.
 */
const LOGIN_UNQUOTED = /\b(user\s+)(?!["'`])[^\s"'`;]+(?=\s+(?:lacks|does not have)\s+CREATE SESSION\b)/gi;
/** A URL's user part, with or without a password and a scheme (`//app@db`, `//app:pw@db`). */
const URL_USER = /\/\/[^/@\s]+@/g;

export interface ErrorTextOptions {
  /**
   * Hide what backticks hold, as any other quoted value. A licbridge error's backticks name config
   * values (`` `targets.province.url` ``) and stay, and so do those of a line licbridge made safe
   * before (errorLine, storedReason); MySQL's, or those of text of unknown origin, may quote a value.
   * @defaultValue true
   */
  backticks?: boolean;
  /**
   * Hide the login a driver names ({@link LOGIN}) and a URL's user, as well as its password.
   * /readyz hides them: its body goes to a monitor, and docs/operations.md promises it without
   * logins. `status`, the CLI, log lines and what the ledger and Redis keep show the login, the
   * account whose grant or password to fix (docs/troubleshooting.md: ``login failed as user `U` ``);
   * it is an account of the database, not a holder's data, and no secret.
   * @defaultValue false
   */
  hideLogins?: boolean;
  /**
   * Cut the text to {@link MESSAGE_LIMIT} characters, for what is stored or served, or to the
   * number given (a dead letter's reason, whose own words come before the platform's last answer).
   * The CLI prints a message whole to the person who ran the command, and a log line keeps a
   * driver's dump whole.
   * @defaultValue true
   */
  bounded?: boolean | number;
  /**
   * `shapes`: mask numbers by their shape only (resident ID, mobile and passport numbers, as
   * records mask them) and leave other runs of digits and credit codes whole. For the CLI printing
   * a licbridge error: its own words name license ids, catalog codes and option values the person
   * gave (`1.2.156.3005.2.11370200MB1234567X001…`, `` `3000000000` ``), which the rule for any run
   * of seven digits would cut.
   * @defaultValue 'all'
   */
  numbers?: 'all' | 'shapes';
}

/**
 * `text`, an error's message, as it may be shown. Each place that shows one hides what the strictest
 * hid:
 * - values from config references (scrubSecrets), before the text is cut into one line, as a key
 *   holds line breaks;
 * - white space made single spaces first: a quoted value holding a line break was not seen as
 *   quoted (./quoted-values.ts reads one line), and its words stood on either side;
 * - a quoted value hidden as the CLI hides it, its table, column and constraint names kept, and
 *   what backticks hold unless `backticks` is false; a name after a label saying it is one
 *   (`持证人：张三`, `holder: Zhang San`);
 * - a URL's user and password, and a connection string's password;
 * - numbers, by both rules, a character hidden by either stays hidden: a credit code, ID number or
 *   run of seven or more digits keeps its last four (scrubPersonal; a legal entity's credit code
 *   stays whole), a `+` before it hidden with
 *   it (`+8613800138000`), and an ID number or mobile number written in groups (`110105 19491231
 *   002X`, `138 0013 8000`) and a passport number (`E*******8`), which that rule leaves in part or
 *   whole, are masked as records mask them, and a bank card's number in groups as a log line
 *   masks it. Both rules read the text as it was: one applied to what the other cut would find no
 *   shape left (`110105 ****1231 002X` is no ID number) and leave the rest of the number;
 * - with `hideLogins`, the login a driver names.
 * Then the length is bounded. What it returns it returns again unchanged, given the same options
 * (a line told before is masked again where it is stored: a run given up keeps errorLine's line).
 * Each step only hides, but what one hid may give another a reading it had not: a number masked
 * before a quote (`D1234567'张三'`, `********'张三'`) leaves no digit that made the quote an
 * apostrophe inside a word, and a quoted name with a run of digits cut (`'T_****0101'`) reads as no
 * identifier any more. So the text is masked again until a pass changes nothing: a second pass
 * would hide those, and must not find them there.
 */
export function safeErrorText(text: string, options: ErrorTextOptions = {}): string {
  let out = maskOnce(text, options);
  // A pass that changed nothing would read the same text again and give the same: most messages
  // hold nothing to hide (`connect ECONNREFUSED …`, a timeout) and took a second pass for it.
  if (out === text) return out;
  for (let pass = 1; pass < MAX_PASSES; pass++) {
    const again = maskOnce(out, options);
    if (again === out) break;
    out = again;
  }
  return out;
}

/**
 * Passes of {@link maskOnce} at most: one masks, the next finds nothing more, or what the first
 * opened up (a quote after a number masked), and the one after that finds nothing.
 */
const MAX_PASSES = 4;

/**
 * V8's JSON.parse error quotes the start of the text it parsed, and its first character as the
 * token (`Unexpected token 'Z', "Zhang San,"... is not valid JSON`): a job's stored data, a
 * platform's answer. A name there is no shape masking finds, and a double quote inside the data
 * ends the quoted value early for hideQuoted, so what follows it stood in the line. The quote is
 * dropped whole, from the engine's own `Unexpected token` where it says one, so what a message
 * says before it (`target "province": …`) stays; messages naming a position (`… in JSON at
 * position 12`) quote nothing and stay.
 */
const JSON_DATA_AFTER_TOKEN = /Unexpected token '[\s\S]{1,2}', "[\s\S]*?"(?:\.\.\.)? is not valid JSON/g;
/** The engine's form without a token (`"undefined" is not valid JSON`): from the nearest quote. */
const JSON_DATA_ALONE = /"[^"]*"(?:\.\.\.)? is not valid JSON/g;
const JSON_DATA_DROPPED = 'Unexpected text: not valid JSON (its data not shown)';

function withoutJsonData(text: string): string {
  const dropped = text.replace(JSON_DATA_AFTER_TOKEN, JSON_DATA_DROPPED);
  return dropped !== text ? dropped : text.replace(JSON_DATA_ALONE, JSON_DATA_DROPPED);
}

/** One pass of what {@link safeErrorText} hides. */
function maskOnce(text: string, options: ErrorTextOptions): string {
  // U+FEFF, the zero-width no-break space (a byte order mark inside text pasted or joined from
  // files), is white space to `\s`: made a space, it parted a number it stood in
  // (`110105<U+FEFF>194912310021` shown `110105 194912310021`), which no shape then found. It shows
  // nothing, and is dropped; maskNumberShapes reads across the other invisible characters.
  const line = scrubSecrets(withoutJsonData(text))
    .replace(/\uFEFF/g, '')
    .replace(/\s+/g, ' ')
    .trim();
  // A URL's user and password first: one holding a quote (`postgres://lb:pa"ss@db`) was read as a
  // quoted value opening inside it, which hid the rest of the word and left the password's start.
  const urls = line.includes('@') ? line.split(' ').map(maskUserInfo).join(' ') : line;
  let hidden = hideLabelledNames(
    hideQuoted(urls, { backticks: options.backticks !== false, keepIdentifiers: true }),
  );
  // Each word's URL user and encoded text: a text without `@` or text other than ASCII keeps every word.
  if (hidden.includes('@') || NOT_ASCII.test(hidden))
    hidden = hidden
      .split(' ')
      .map((word) => hideEncodedText(maskUserInfo(word)))
      .join(' ');
  hidden = hidden.replace(PASSWORD_SETTING, '$1$2***');
  if (options.hideLogins === true) {
    hidden = hidden.replace(URL_USER, '//***@').replace(LOGIN, '$1$2***$2').replace(LOGIN_UNQUOTED, '$1***');
  }
  // A card's number in groups (`6228 4800 1234 5671`) as a log line masks it (82a4832f): no group
  // holds the seven digits the digit rule cuts, and the text showed it whole.
  const numberShapes = maskNumberShapes(hidden);
  const shapes = moreShapes(numberShapes);
  const clean =
    options.numbers === 'shapes'
      ? shapes
      : starredInEither(hidden, scrubNumbers(hidden, numberShapes).replace(/\+(?=\*)/g, '*'), shapes);
  // Cut by characters, not UTF-16 units: half of a character outside the BMP is no character. A
  // text no longer in units than the limit is no longer in characters, and is not split into them.
  const limit = typeof options.bounded === 'number' ? options.bounded : MESSAGE_LIMIT;
  if (options.bounded === false || clean.length <= limit) return clean || 'no message';
  const chars = Array.from(clean);
  const shown = chars.length > limit ? `${chars.slice(0, limit - 3).join('')}...` : clean;
  return shown || 'no message';
}

/**
 * `text` with numbers masked by their shape only, as a licbridge error the CLI prints and a config
 * problem it prints are (cli/errors.ts): one rule for both, so what one masks the other does.
 */
export function maskByShape(text: string): string {
  return moreShapes(maskNumberShapes(text));
}

/**
 * What maskNumberShapes gave with the shapes it leaves masked too. An individual business's credit
 * code (`92…`, either case) names a person as an ID number does: masked as a log line masks it, or
 * a licbridge error the CLI prints, numbers by shape only (a config check's), showed it whole. A
 * card's number in groups (`6228 4800 1234 5671`) as a log line masks it (82a4832f).
 */
function moreShapes(numberShapes: string): string {
  return maskGroupedCards(maskIndividualBusinessCodes(numberShapes));
}

/**
 * A stack's frames (`    at fn (file:line:col)`) after a line break, without the message that
 * opens the stack (it holds the driver's words raw: show failureMessage's before them), values from
 * config references replaced and numbers masked; '' when it has none.
 */
export function stackFrames(error: unknown): string {
  if (!(error instanceof Error) || error.stack === undefined) return '';
  const frames = error.stack.split('\n').filter((l) => /^\s+at /.test(l));
  return frames.length === 0
    ? ''
    : `\n${scrubPersonal(maskPersonalShapes(scrubSecrets(frames.join('\n'))), [], () => '***')}`;
}

/**
 * `text` with a `*` wherever `a` or `b`, two maskings of it, put one. Both replace characters by
 * `*` where they stand, never moving one, so the text keeps what neither hid; should one ever
 * move a character, the two are applied one after the other instead.
 */
function starredInEither(text: string, a: string, b: string): string {
  if (a.length !== text.length || b.length !== text.length) return scrubPersonal(b, [], () => '***');
  // Neither hid anything: each char is a `*` only where the text has one.
  if (a === text && b === text) return text;
  let out = '';
  for (let i = 0; i < text.length; i++) out += a[i] === '*' || b[i] === '*' ? '*' : text[i];
  return out;
}

/** Text other than ASCII, as typed or percent-encoded (a byte of its UTF-8 is 0x80 or more). */
const NOT_ASCII = /[\u0080-\uffff]|%[89A-Fa-f][0-9A-Fa-f]/;
const ENCODED_NOT_ASCII = /(?:%[89A-Fa-f][0-9A-Fa-f])+/g;

/**
 * `word` (no white space) with each query value holding text other than ASCII (`?name=%E5%BC%A0…`,
 * `?name=张三`) replaced by `***`, and each percent-encoded run of such text elsewhere
 * (`/holders/%E5%BC%A0…`): a URL in an error's text carries what was sent, a holder's name among
 * it, which neither a quote nor a shape hid. ASCII values (`?mode=ro`) stay.
 */
function hideEncodedText(word: string): string {
  if (!NOT_ASCII.test(word)) return word;
  const q = word.indexOf('?');
  let out = word;
  if (q >= 0) {
    const hash = word.indexOf('#', q);
    const end = hash < 0 ? word.length : hash;
    const query = word
      .slice(q + 1, end)
      .split('&')
      .map((param) => {
        const eq = param.indexOf('=');
        return eq >= 0 && NOT_ASCII.test(param.slice(eq + 1)) ? `${param.slice(0, eq)}=***` : param;
      })
      .join('&');
    out = `${word.slice(0, q + 1)}${query}${word.slice(end)}`;
  }
  return out.replace(ENCODED_NOT_ASCII, '***');
}

const SCHEME_CHAR = /[A-Za-z0-9+.-]/;
const LETTER = /[A-Za-z]/;

/**
 * `word` (no white space) with a URL's user and password (`postgres://lb:pw@host`) replaced by
 * `***`, even when it is malformed: everything from the first scheme (`letters:` and up to three
 * `/`) up to the last `@`, as a password holding `/`, `?` or `#` (what makes such a URL not parse)
 * would otherwise end the masked part early and show the rest. One pass: a pattern doing this
 * (`[A-Za-z][A-Za-z0-9+.-]*:\/{0,3}\S*@`) took seconds on a value of 20,000 letters and a colon.
 */
export function maskUserInfo(word: string): string {
  const lastAt = word.lastIndexOf('@');
  if (lastAt < 0) return word;
  let i = 0;
  while (i < lastAt) {
    if (!SCHEME_CHAR.test(word[i] as string)) {
      i += 1;
      continue;
    }
    // A run of scheme characters: a scheme when it holds a letter and a `:` follows it.
    const start = i;
    while (i < word.length && SCHEME_CHAR.test(word[i] as string)) i += 1;
    if (i >= lastAt || word[i] !== ':') continue;
    let first = start;
    while (first < i && !LETTER.test(word[first] as string)) first += 1;
    if (first === i) continue;
    let end = i + 1;
    while (end < lastAt && end < i + 4 && word[end] === '/') end += 1;
    return `${word.slice(0, end)}***${word.slice(lastAt)}`;
  }
  return word;
}
