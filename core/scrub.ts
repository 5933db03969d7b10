/**
 * Values that came from `${env:…}` and `${file:…}` config references — passwords, tokens, private
 * keys, and whatever else a config author chose to keep out of the file — must never appear in a
 * message, a log line, a ledger row or Redis, even when a config puts one where an ordinary value
 * is expected (a table name read from a key file ends up in "table … not found").
 *
 * The config loader registers every referenced value here as it resolves it; `scrubSecrets`
 * replaces each occurrence with a placeholder naming the reference (`[from ${env:DB_PASSWORD}]`).
 * LicbridgeError runs its message and context through it when it is built, so every error
 * licbridge makes is clean before anything stores or prints it; the few places that turn a
 * foreign error into text (worker failures, the CLI's last resort) call it too.
 *
 * Besides whole occurrences, any run of WINDOW or more characters copied from a long value is
 * replaced: drivers and messages cut values short (PostgreSQL keeps 63 bytes of an identifier),
 * and a key's first line must not survive either.
 */
import { hideCredentials } from './credential-words.js';
import { inHalfWidth } from './half-width.js';
import { hexIdentifierSpans } from './hex-identifier.js';
import { isLegalEntityCode } from './legal-entity-code.js';
import { ALONE_BEFORE } from './mask.js';
import { maskNumberShapes } from './personal-shapes.js';
import { isValidUscc } from './uscc.js';

/** Values shorter than this are not tracked: `db`, `5`, `on` would blank out ordinary words. */
export const MIN_SECRET_LENGTH = 4;
/** Length of the shared runs looked for inside long values. */
const WINDOW = 16;

const placeholders = new Map<string, string>();
const windows = new Map<string, string>();
// Longest first, so a value containing a shorter one is replaced whole.
let byLength: [string, string][] = [];

/** The characters a URL parser ends a user name, password, host or path at. */
const URL_CUTS = /[@/?#:]+/;
/** Pieces shorter than this are not tracked on their own: `db`, `5432`, `test` are ordinary words. */
const MIN_PIECE_LENGTH = 6;
/**
 * A piece spelt as a word of text (`public`, `Ledger`, `SCHEMA`), or a number or date without a
 * letter (`123456`, `2024-01-05`): not tracked on its own, or every message naming the word or
 * number — a schema, a table, a status, a count, a day — would have it replaced by the
 * placeholder, hiding what the message is about and showing whoever reads it that the value holds
 * it. A piece mixing letters with a digit, a sign or a capital inside it is no such text.
 */
const PLAIN_WORD = /^(?:[A-Z]?[a-z]+|[A-Z]+)$/;
function ordinaryText(piece: string): boolean {
  return PLAIN_WORD.test(piece) || !/\p{L}/u.test(piece);
}

/**
 * Records `value` as coming from the reference `ref` (as written: `${env:NAME}`, `${file:path}`).
 * `marked`: the reference is marked secret (under a secret's key, or in a URL holding a password:
 * config/secret-keys.ts), and its value is masked whole whatever it holds. An unmarked reference
 * holding a URL without user info has only its secret parts tracked (urlSecretParts); any other
 * value is masked whole, as it may be a secret under a key not known as one (a header).
 * @defaultValue marked: true
 */
export function registerSecret(value: string, ref: string, options: { marked?: boolean } = {}): void {
  // Kept JSON-safe: it replaces text inside log lines too.
  const placeholder = `[from ${[...ref].filter((c) => c >= ' ' && c !== '"' && c !== '\\').join('')}]`;
  const parts = options.marked === false ? urlSecretParts(value) : null;
  if (parts !== null) {
    track(parts, placeholder);
    return;
  }
  // A password holding `@` put into a URL as it is (`postgres://lb:${env:PW}@db/x`) ends the URL's
  // user info there: the rest, up to a `/`, `?` or `#`, becomes the host a driver names
  // (`getaddrinfo ENOTFOUND <the rest of the password>`). Each long piece is tracked too. Not for a
  // URL or a multi-line value (a PEM): their pieces are ordinary text.
  const pieces =
    !value.includes('@') || value.includes('://') || value.includes('\n')
      ? []
      : value.split(URL_CUTS).filter((p) => p.length >= MIN_PIECE_LENGTH && p !== value && !ordinaryText(p));
  track([value, value.trim(), ...pieces], placeholder);
}

/** Tracks each value: as written, JSON-escaped (a log line), and case-folded (`it starts with MIIEV…`; a URL's host name is lower-cased). */
function track(values: readonly string[], placeholder: string): void {
  const forms = values.flatMap((v) => [v, v.toUpperCase(), v.toLowerCase()]);
  for (const form of new Set(forms.flatMap((v) => [v, JSON.stringify(v).slice(1, -1)]))) {
    if (form.length < MIN_SECRET_LENGTH || placeholders.has(form)) continue;
    placeholders.set(form, placeholder);
    for (let i = 0; i + WINDOW <= form.length; i++) {
      const w = form.slice(i, i + WINDOW);
      if (!windows.has(w)) windows.set(w, placeholder);
    }
  }
  byLength = [...placeholders].sort((a, b) => b[0].length - a[0].length);
}

/** A URL in one line: scheme, authority, path, query, fragment (RFC 3986 appendix B). */
const URL_SHAPE = /^[A-Za-z][A-Za-z0-9+.-]*:\/\/([^/?#]*)([^?#]*)(?:\?([^#]*))?(?:#(.*))?$/;
/** A word of a path segment spelt as text or a short number (`open-api`, `v2`, `ledger.db`, `2024`). */
const PATH_WORD = /^(?:[A-Z]?[a-z]{1,16}|[A-Z]{1,16}|v?[0-9]{1,4})?$/;

/**
 * What of a URL given by an unmarked reference is secret: its query (whole, and each value not
 * spelt as ordinary text, decoded too: an `access_token` a message names alone), its fragment, and
 * each path segment that is not made of words and short numbers (a webhook's token,
 * `/services/T0AB…/xY9z…`). Its scheme, host, port and the path's words are the operator's address,
 * no secret: masked whole, a failing platform or Redis could not be told from the log. Null (mask
 * it whole) for a value that is no one-line URL, or one with user info: a password, or a token
 * given as the user (`https://<token>@host`).
 */
function urlSecretParts(value: string): string[] | null {
  const url = URL_SHAPE.exec(value.trim());
  if (url === null || /\s/.test(value.trim())) return null;
  const [, authority = '', path = '', query, fragment] = url;
  if (authority.includes('@') || authority === '') return null;
  const parts: string[] = [];
  const withDecoded = (raw: string) => {
    parts.push(raw);
    try {
      const decoded = decodeURIComponent(raw.replace(/\+/g, ' '));
      if (decoded !== raw) parts.push(decoded);
    } catch {}
  };
  for (const segment of path.split('/'))
    if (!segment.split(/[-_.~]/).every((w) => PATH_WORD.test(w))) withDecoded(segment);
  if (query !== undefined) {
    parts.push(query);
    for (const param of query.split('&')) {
      const v = param.slice(param.indexOf('=') + 1);
      if (param.includes('=') && v !== '' && !ordinaryText(v)) withDecoded(v);
    }
  }
  if (fragment !== undefined) parts.push(fragment);
  return parts;
}

/** The placeholder for a value that came whole from a reference, or undefined. */
export function refPlaceholder(value: string): string | undefined {
  return placeholders.get(value) ?? placeholders.get(value.trim());
}

/**
 * `text` with every referenced value (and long run copied from one) replaced, and every credential
 * its words name hidden (./credential-words.ts).
 */
export function scrubSecrets(text: string): string {
  return hideCredentials(scrubReferenced(text));
}

function scrubReferenced(text: string): string {
  if (placeholders.size === 0 || text.length < MIN_SECRET_LENGTH) return text;
  let out = text;
  for (const [value, placeholder] of byLength) {
    if (out.includes(value)) out = out.split(value).join(placeholder);
  }
  return windows.size === 0 || out.length < WINDOW ? out : scrubRuns(out);
}

/** Replaces each maximal stretch covered by WINDOW-long runs shared with a long value. */
function scrubRuns(text: string): string {
  let out = '';
  let i = 0;
  while (i + WINDOW <= text.length) {
    const hit = windows.get(text.slice(i, i + WINDOW));
    if (hit === undefined) {
      out += text[i];
      i += 1;
      continue;
    }
    let end = i + WINDOW;
    while (end < text.length && windows.has(text.slice(end - WINDOW + 1, end + 1))) end += 1;
    out += hit;
    i = end;
  }
  return out + text.slice(i);
}

/**
 * An error safe to store or print: a LicbridgeError-like error is returned as is when its text is
 * already clean; anything else becomes a plain Error whose message and stack are scrubbed.
 */
export function scrubbedError(error: unknown): Error {
  if (!(error instanceof Error)) return new Error(scrubSecrets(String(error)));
  const message = scrubSecrets(error.message);
  const stack = error.stack === undefined ? undefined : scrubSecrets(error.stack);
  if (message === error.message && stack === error.stack) return error;
  const clean = new Error(message);
  clean.name = error.name;
  if (stack !== undefined) clean.stack = stack;
  return clean;
}

/**
 * A unified social credit code (GB 32100: two characters for the registering office and kind, a
 * 6-digit division code, nine of the organisation code and a check character, over 0–9 and A–Z
 * without I, O, S, V and Z) standing alone; a resident ID number ending in X or x (GB 11643) has
 * this shape too. Its letters end a run of digits early, so the digit rule alone left most of it
 * (`****0211MA3098E10F`). Cut unless it is a legal entity's code, each part and both check
 * chars right ({@link entityCodeSpans}): an individual business's (`92…`) names a person as an ID
 * number does, and one with a wrong check char may be a mistyped person's number. In either case:
 * a system keying its holders by the code may store it in lower case (`92370211ma3098e10f`), whose
 * letters ended the digit rule's run as early (`****0211ma3098e10f`).
 */
const CODE_SHAPE = new RegExp(
  `${ALONE_BEFORE}[0-9A-HJ-NPQRTUWXYa-hj-npqrtuwxy]{2}[0-9]{6}[0-9A-HJ-NPQRTUWXYa-hj-npqrtuwxy]{10}(?![0-9A-Za-z])`,
  'g',
);
const DIGIT_RUN = /[0-9]{7,}/g;
const lastFour = (run: string): string => `${'*'.repeat(run.length - 4)}${run.slice(-4)}`;

/**
 * A credit code with letters stuck to it (a record key naming it, `USCC92…`): CODE_SHAPE finds one
 * standing alone only, and the digit rule cut its first digits alone (`USCC****0211MA3098E10F`, an
 * individual business's code all but shown). Taken in a longer run of letters and digits where 18
 * of them, no digit on either side, have its shape and a right check char (GB 32100).
 */
const GLUED_RUN = /[0-9A-Za-z]{19,}/g;
const CODE_CHARS = /^[0-9A-HJ-NPQRTUWXY]{2}[0-9]{6}[0-9A-HJ-NPQRTUWXY]{10}$/;

/** The last digit of a percent-escape (`%22`) or a `\uXXXX` escape ends at `text[at]`. */
const ESCAPE_BEFORE = /(?:%[0-9A-Fa-f]{2}|\\u[0-9A-Fa-f]{4})$/;
const afterEscape = (text: string, at: number): boolean =>
  ESCAPE_BEFORE.test(text.slice(Math.max(0, at - 6), at));
const isDigit = (c: string | undefined): boolean => c !== undefined && c >= '0' && c <= '9';

/**
 * Each credit code with a right check char in `text`, alone or glued to letters, where it starts,
 * and how long it runs: 18, or 21 with the three digits of a license type code (GB/T 36904) that
 * end the run after it (`11100000000013338W032`), which `typeCodes` asks for. `runs` is read with
 * exec, its lastIndex kept across each yield: matchAll copied the pattern on every call, most of
 * the cost of a text holding no run at all.
 */
function* creditCodes(text: string, runs: RegExp, typeCodes = false): Generator<[code: string, at: number]> {
  runs.lastIndex = 0;
  for (let m = runs.exec(text); m !== null; m = runs.exec(text)) {
    const next = runs.lastIndex;
    const run = m[0];
    for (let i = 0; i + 18 <= run.length; i++) {
      // Not inside a longer run of digits (an ID number's 18 digits hold windows of the shape), but
      // for an escape's last digit before it (`%2291370406…`).
      if (isDigit(run[i - 1]) && !afterEscape(text, m.index + i)) continue;
      const typeCode = typeCodes && i + 21 === run.length && /^[0-9]{3}$/.test(run.slice(i + 18));
      if (isDigit(run[i + 18]) && !typeCode) continue;
      const code = run.slice(i, i + 18);
      // Read in upper case: GB 32100 writes the code so, a store may lower it (CODE_SHAPE).
      const upper = code.toUpperCase();
      if (!CODE_CHARS.test(upper) || !isValidUscc(upper)) continue;
      yield [typeCode ? run.slice(i) : code, m.index + i];
      runs.lastIndex = next;
      i += 17;
    }
  }
}

function cutGluedCodes(text: string, cut: (match: string, at: number) => string): string {
  let out = '';
  let from = 0;
  for (const [code, at] of creditCodes(text, GLUED_RUN)) {
    out += `${text.slice(from, at)}${cut(code, at)}`;
    from = at + 18;
  }
  return out + text.slice(from);
}

/**
 * Where `text` holds a legal entity's credit code, kept whole: public registration data, which an
 * error from outside needs to say which unit a platform refused (the digit rule cut
 * `91370406L24894136J` to `**************136J`). Only one whose every part reads as GB 32100 has
 * it ({@link isLegalEntityCode}): not an individual business's (`92…`), which names a person as an
 * ID number does, nor one whose characters may be a person's number.
 */
function entityCodeSpans(text: string): [number, number][] {
  const spans: [number, number][] = [];
  for (const [code, at] of creditCodes(text, CODE_RUN, true))
    if (isLegalEntityCode(code.toUpperCase())) spans.push([at, at + code.length]);
  return spans;
}
const CODE_RUN = /[0-9A-Za-z]{18,}/g;

/**
 * Where a cut can start: a run of seven digits (DIGIT_RUN) or of 18 letters and digits (a credit
 * code, alone or glued, and every run GLUED_RUN takes). Text without one is left as it is, and
 * the spans of hex identifiers and legal entities' codes, which only a cut asks for, are not read.
 */
const MAY_CUT = /[0-9]{7}|[0-9A-Za-z]{18}/;

/**
 * Credit codes, ID numbers and digit runs cut to their last four; hex identifiers and legal
 * entities' credit codes left whole.
 */
function cutCodesAndRuns(text: string): string {
  if (!MAY_CUT.test(text)) return text;
  let hex: [number, number][] | undefined;
  let codes: [number, number][] | undefined;
  const cut = (match: string, at: number): string => {
    hex ??= hexIdentifierSpans(text);
    codes ??= entityCodeSpans(text);
    const end = at + match.length;
    if ([...hex, ...codes].some(([s, e]) => at >= s && end <= e)) return match;
    // A run of digits that an escape's digits start (`%2291370406…`): the code is kept, and the
    // escape's two or four digits before it, no number, stand as they are.
    const code = codes.find(([s, e]) => at < s && end > s && end <= e);
    const before = code === undefined ? '' : match.slice(0, code[0] - at);
    return code !== undefined && before.length < 7 ? match : lastFour(match);
  };
  return cutGluedCodes(text, cut).replace(CODE_SHAPE, cut).replace(DIGIT_RUN, cut);
}

/**
 * What maskNumberShapes hides that scrubPersonal hides too: a letter or digit, half- or
 * full-width. It stars a mobile number's separators and the `+` or brackets of its country code
 * with it (`*********8000`); the text keeps them (`***-****-8000`), as the digit rule keeps what
 * stands between runs, and a gateway's token stays readable.
 */
const LETTER_OR_DIGIT = /[\p{L}\p{N}]/u;

/**
 * `text` with every occurrence of the personal `values` it was about (a holder's phone number, an
 * app user id) replaced by `mask(value)`, and then numbers hidden by two rules, a character hidden
 * by either staying hidden: any credit code or ID number (letters among its digits, an X at its
 * end) or run of seven or more digits — a phone number a gateway echoed in another form — cut to
 * its last four, but for a legal entity's credit code ({@link entityCodeSpans}), left whole; and a resident ID, mobile or passport number masked by its shape as records mask
 * them (./personal-shapes.ts maskNumberShapes: `1101**-********-002X`, `***-****-8000`), which
 * finds one written in its groups, where the digit rule sees no run of seven digits
 * (`110101-900307-123`) or cuts only the middle group (`110105-****1231-002X`). Both read the text
 * as it was, in half-width or full-width characters: one applied to what the other cut would find
 * no shape left. A separator between a number's groups is left as the text had it. A hex
 * identifier (a front-db batch number, a hash, a run's UUID: ./hex-identifier.ts) is left whole.
 * For text that comes back from outside (a platform's or a message gateway's error or reason)
 * before it is stored or printed. Idempotent: what it left is left again.
 */
export function scrubPersonal(
  text: string,
  values: readonly string[],
  mask: (value: string) => string,
): string {
  let out = text;
  for (const v of values)
    if (v.length >= MIN_SECRET_LENGTH && out.includes(v)) out = out.split(v).join(mask(v));
  return scrubNumbers(out, maskNumberShapes(out));
}

/**
 * scrubPersonal's numbers of `text`, given `shapes`, maskNumberShapes(text): for safeErrorText
 * (./error-text.ts), which masks the shapes of the same text for its own rule, and read them twice
 * in each pass (~18 % of its CPU on a text of digits).
 */
export function scrubNumbers(text: string, shapes: string): string {
  const runs = inHalfWidth(text, cutCodesAndRuns);
  if (shapes === text) return runs;
  // maskPersonalShapes shows a number read across invisible characters without them: the two
  // texts no longer match position for position, and the digit rule is applied to what it left.
  if (shapes.length !== text.length || runs.length !== text.length)
    return inHalfWidth(shapes, cutCodesAndRuns);
  let merged = '';
  for (let i = 0; i < text.length; i++) {
    const ch = text[i] as string;
    const hidden = runs[i] === '*' || (shapes[i] === '*' && LETTER_OR_DIGIT.test(ch));
    merged += hidden ? '*' : ch;
  }
  return merged;
}
