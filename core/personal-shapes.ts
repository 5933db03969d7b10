/**
 * Resident ID numbers and mainland mobile numbers found by their shape in any text (a reason, a
 * driver's error, a log line), whatever field or message holds them. Here in core so that the
 * catalog's reasons (catalog/personal.ts) and an error's safe text (./error-text.ts) mask them by
 * one rule.
 */
import { isCalendarDate } from './calendar-date.js';
import { inHalfWidth } from './half-width.js';
import { inUuid } from './hex-identifier.js';
import { maskIndividualBusinessCodes } from './individual-business-code.js';
import { INVISIBLE } from './invisible-text.js';
import { inUnitCode } from './legal-entity-code.js';
import { DIGITS_BEFORE, maskContact, maskId, maskPassportShapes } from './mask.js';
import { maskGroupedCardsHalfWidth, maskPersonInRuns } from './person-in-runs.js';
import { isValidUscc } from './uscc.js';

// A resident ID number (GB 11643: 6-digit area, yyyymmdd birth date, 3 digits, check char; or the
// 15-digit pre-1999 form below) or a mainland mobile number (1[3-9] + 9 digits, optionally +86) in
// a text, not part of a longer run of digits, whatever letters stand beside it (`SFZ110105…`,
// `A110105…B`, `TEL138…`: a record key naming or wrapping the number, ./mask.ts `DIGITS_BEFORE`).
// Masked in any reason whatever its path, since a field's name does not always say it holds one.
// A credit code (GB 32100) with a letter among its 18 chars holds no 18 such chars, and a license
// identifier's segments (GB/T 36904) are parted by dots, as a number standing alone is.
const ID_END = '[0-9]{3}(?:[0-9](?![0-9])|[Xx])';
const ID_SHAPE = new RegExp(
  `${DIGITS_BEFORE}[1-9][0-9]{5}(1[89]|20)([0-9]{2})([0-9]{2})([0-9]{2})${ID_END}`,
  'g',
);
// The same number written in its groups (area, birth date, sequence + check) with a space or a
// dash between them, as forms and scans print it: `110105 19491231 002X`, `110105-19491231-002X`,
// or one of each (`110105 19491231-002X`), which catalog/personal.ts hasResidentIdShape takes for
// a person's number too. A typographic dash (U+2010–U+2015: a word processor's `–`) parts them as
// `-` does, and `_` and `.` do in a record key or a file's name (`110105_19491231_002X`): those
// went out whole. A license identifier's dotted segments (GB/T 36904) hold no such groups: its
// version and check char stand apart (`.001.F`). A space other than U+0020 (the no-break space
// of a web form or a spreadsheet cell, a thin or en space a word processor puts) parts them as a
// space does: `110105\u00A019491231\u00A0002X` went out whole in a log line.
// A slash parts them too (`138/0013/8000`), and a run of spaces as one does (`138  0013  8000`,
// a form's boxes copied out): masked in an error's text by its digit rule, both went out whole in
// a log line.
const SEPARATOR_CHARS = ' ._/\\u00A0\\u2000-\\u200A\\u2010-\\u2015\\u202F\\u205F-';
const SEPARATOR_CHAR = `[${SEPARATOR_CHARS}]`;
// So does one a URL's query encodes (`%20`, a form's `+` between digits, `%2D`, `%2E`, `%2F`,
// `%5F`): `138%200013%208000` and `110105+19491231+002X` went out whole in a log line, and an error's
// text cut only a run of digits (`110105%******1231%20002X`). Not where a number's groups are read
// in any grouping (REGROUPED_RUN): an escape's digits would be read as a group.
const ENCODED_SEPARATOR = '%(?:20|2[DdEeFf]|5[Ff])|(?<=[0-9])\\+(?=[0-9])';
const PLAIN_GROUP_SEPARATOR = `(?:[ \\u00A0\\u2000-\\u200A\\u202F\\u205F]{2,4}|${SEPARATOR_CHAR})`;
const GROUP_SEPARATOR = `(?:${PLAIN_GROUP_SEPARATOR}|${ENCODED_SEPARATOR})`;
const GROUP_SEPARATORS = new RegExp(`(${SEPARATOR_CHAR}|${ENCODED_SEPARATOR})`);
const GROUPED_ID_SHAPE = new RegExp(
  `${DIGITS_BEFORE}[1-9][0-9]{5}${GROUP_SEPARATOR}(1[89]|20)([0-9]{2})([0-9]{2})([0-9]{2})${GROUP_SEPARATOR}${ID_END}`,
  'g',
);

/** A grouped ID masked as the whole number is, its separators kept where they stand. */
function maskGroupedId(id: string): string {
  // Digits and separators in turn: a separator is odd.
  const pieces = id.split(GROUP_SEPARATORS);
  const masked = Array.from(maskId(pieces.filter((_, i) => i % 2 === 0).join('')));
  let at = 0;
  return pieces
    .map((piece, i) => (i % 2 === 1 ? piece : Array.from(piece, () => masked[at++] ?? '*').join('')))
    .join('');
}

// A mobile number as people write it: whole, or in its 3-4-4 groups (network, area, subscriber)
// parted by spaces, dashes or dots (`138 0013 8000`, `138-0013-8000`, `138.0013.8000`), or by the
// other separators of an ID number's groups, one separator throughout; `+86`, `0086`, `86` or `(+86)` before it, with or
// without a space or dash: `0086` is the international prefix dialled from the mainland, and
// `008613800138000`, a digit before its 86, was no such shape and went out whole. A `+` or a
// percent-escaped one (`%2B`) may stand before the 86. A bracket may stand before the number
// itself (`电话(13800138000)`, `HTTP 400 (138-0013-8000)`): taken for the start of `(+86)` only, it
// left every number in brackets whole. Letters may stand beside it (`TEL13812345678`,
// `m13812345678x`), as beside an ID number; a `+` before the 1 makes it another country's number
// (`+1 381…`).
const MOBILE_SHAPE = new RegExp(
  `(?:(?<![0-9+])|(?<=%[0-9A-Fa-f]{2})|(?<=\\\\u[0-9A-Fa-f]{4}))(?:(?:\\((?:\\+|00)?86\\)|(?:\\+|00)?86)${GROUP_SEPARATOR}?)?1[3-9][0-9](${GROUP_SEPARATOR}?)[0-9]{4}\\1[0-9]{4}(?![0-9])`,
  'g',
);

/**
 * Whether the mobile number's shape at `text[start, end)` is part of a code that holds no phone
 * number: a credit code (GB 32100) with a right check char, alone or with the three digits of a
 * license type code (GB/T 36904: `91370211MA13812351001`, its last 11 digits a mobile's shape; an
 * identifier parts it from the rest by dots), or a UUID whose groups hold it (`…b138-1234-5678-…`,
 * `…-13812345678a`), alone or joined by a dash to a prefix (`repair-<uuid>`: ./hex-identifier.ts). Eleven digits fit in a credit code only from its first or second char,
 * or from its eleventh to the type code's end, and only with a letter beside them.
 */
/** A credit code (18) with a license type code's three digits after it. */
const CODE_MAX = 21;

function inCode(text: string, start: number, end: number): boolean {
  // No code is longer than CODE_MAX: a run read past that is none, however long it goes on, and
  // reading it whole for each shape in it (a long line of letters and digits) took time growing
  // with the square of its length.
  const around = (chars: RegExp): string => {
    let from = start;
    let to = end;
    while (from > 0 && to - from <= CODE_MAX && chars.test(text[from - 1] ?? '')) from--;
    while (to < text.length && to - from <= CODE_MAX && chars.test(text[to] ?? '')) to++;
    return text.slice(from, to);
  };
  if (inUuid(text, start, end)) return true;
  const code = around(/[0-9A-Za-z]/).toUpperCase();
  return (
    (code.length === 18 && isValidUscc(code)) ||
    (code.length === 21 && /[0-9]{3}$/.test(code) && isValidUscc(code.slice(0, 18)))
  );
}
// The 15-digit number issued before 1999 (GB 11643-1989: 6-digit area, yymmdd birth date in the
// 1900s, 3 digits, no check char), which legacy data still holds (STANDARDS.md §2); whole, or in
// its groups (`110101 900307 123`) as the 18-digit number is; letters beside it as beside that one.
const OLD_ID_SHAPE = new RegExp(
  `${DIGITS_BEFORE}[1-9][0-9]{5}([0-9]{2})([0-9]{2})([0-9]{2})[0-9]{3}(?![0-9])`,
  'g',
);
// An ID number in groups that are not its own: the 6-4-4-4 of a form's boxes (`110101 1990 0307
// 1234`) or fours (`1101 0119 9003 0712 34`). Any grouping is read, and taken for an ID number only
// when its digits are one's (18 with a calendar birth date, or 15 with one in the 1900s): an
// amount, a date or a card number in groups is not. A run of groups is read whole, and each stretch
// of three to five whole groups in it from one of four to six digits: read only from the run's
// first group, an ID number after another group (`ref 2024 1101 0119 …`, a box or a year before
// it) or followed by more groups made a run no ID number's digits, and went out whole.
const REGROUPED_RUN = new RegExp(
  `${DIGITS_BEFORE}[0-9]{1,6}(?:${PLAIN_GROUP_SEPARATOR}[0-9]{1,6})+[Xx]?(?![0-9])`,
  'g',
);
const RUN_GROUP = /[0-9]+[Xx]?/g;
const FIRST_GROUP = /^[1-9][0-9]{3,5}$/;
const ID_DIGITS = /^[1-9][0-9]{5}(1[89]|20)([0-9]{2})([0-9]{2})([0-9]{2})[0-9]{3}[0-9Xx]$/;
const OLD_ID_DIGITS = /^[1-9][0-9]{5}([0-9]{2})([0-9]{2})([0-9]{2})[0-9]{3}$/;

/** Whether `plain`, digits without separators, are an ID number's (18 or 15, a calendar birth date). */
function isIdDigits(plain: string): boolean {
  const id = ID_DIGITS.exec(plain);
  if (id !== null) return isCalendarDate(Number(`${id[1]}${id[2]}`), Number(id[3]), Number(id[4]));
  const old = OLD_ID_DIGITS.exec(plain);
  return old !== null && isCalendarDate(Number(`19${old[1]}`), Number(old[2]), Number(old[3]));
}

function digitCount(text: string): number {
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 48 && c <= 57) n++;
  }
  return n;
}

/**
 * `run`, digit groups and their separators, with each stretch of groups holding an ID number's
 * digits masked; of two from one group the longer, so an 18-digit number is never read as the
 * 15-digit one its first groups may make (a birth date of 2001-2012 reads as a 1900s `yymmdd`).
 */
function maskRegroupedIds(run: string): string {
  // An ID number holds 15 digits at least (17 and an X): a date (`2026-12-07`, every ISO time a
  // log line holds) or an amount in groups holds fewer, and needs no groups read.
  if (digitCount(run) < 15) return run;
  const groups = Array.from(run.matchAll(RUN_GROUP), (g) => ({
    at: g.index,
    end: g.index + g[0].length,
    text: g[0],
  }));
  let out = '';
  let from = 0;
  for (let i = 0; i < groups.length; i++) {
    const first = groups[i];
    if (first === undefined || !FIRST_GROUP.test(first.text)) continue;
    let plain = first.text;
    let last = -1;
    for (let j = i + 1; j < groups.length && j - i <= 4 && plain.length < 18; j++) {
      plain += groups[j]?.text ?? '';
      if (j - i >= 2 && isIdDigits(plain)) last = j;
    }
    const end = groups[last]?.end;
    if (end === undefined) continue;
    out += run.slice(from, first.at) + maskGroupedId(run.slice(first.at, end));
    from = end;
    i = last;
  }
  return out + run.slice(from);
}

// A mobile number with its network code in brackets, as a business card prints it: `(138) 0013
// 8000`, `(138)0013-8000`.
const BRACKETED_MOBILE_SHAPE = new RegExp(
  `(?<![0-9+])\\(1[3-9][0-9]\\)${GROUP_SEPARATOR}?[0-9]{4}${GROUP_SEPARATOR}?[0-9]{4}(?![0-9])`,
  'g',
);

const OLD_GROUPED_ID_SHAPE = new RegExp(
  `${DIGITS_BEFORE}[1-9][0-9]{5}${GROUP_SEPARATOR}([0-9]{2})([0-9]{2})([0-9]{2})${GROUP_SEPARATOR}[0-9]{3}(?![0-9])`,
  'g',
);

/**
 * `text` with every resident ID number (18 or 15 digits) and mobile number in it masked
 * (`1101**********002X`, `*******8000`), in half-width or full-width digits (legacy data holds
 * them typed as １１０１０５…): found in the half-width form and masked where they stand.
 */
export function maskPersonalShapes(text: string): string {
  return maskedWhateverWidth(text, maskHalfWidthShapes);
}

/**
 * Seven digits (half- or full-width) with nothing between them but what may part a number's
 * groups (a space, a dash, a dot, an underscore, either width) or show nothing (INVISIBLE): every
 * shape masked here holds that many (a passport number seven, a mobile number eleven). A text
 * without them (`page 12 of 40`, most log lines) is returned at once: the shapes' passes cost a log
 * line as much again as all else it does.
 */
const NUMBER_DIGIT = '[0-9\\uFF10-\\uFF19]';
const FULL_WIDTH_SEPARATORS = '\\u3000\\uFF0D\\uFF0E\\uFF3F';
/** A character percent-encoded in UTF-8 (two to four bytes: no ASCII character shows nothing). */
const ENCODED_CHAR = '%[C-Fc-f][0-9A-Fa-f](?:%[89ABab][0-9A-Fa-f]){1,3}';
// At most six such between two digits (a separator and the spaces of a form's boxes, a character
// that shows nothing or its escape beside them): read without bound, from each digit inside an
// escape the rest of a run of encoded text was read, and given up, again, so a 200 KB query of
// Chinese words (`%E5%BC%A0`…) took 10.5 s.
const BETWEEN_DIGITS = `(?:[+${FULL_WIDTH_SEPARATORS}${SEPARATOR_CHARS}]|${INVISIBLE.source}|${ENCODED_CHAR}|${ENCODED_SEPARATOR}){0,6}`;
const SEVEN_DIGITS = new RegExp(`(?:${NUMBER_DIGIT}${BETWEEN_DIGITS}){6}${NUMBER_DIGIT}`, 'u');

/**
 * A digit a URL's query carries percent-encoded: typed full-width into a form (`%EF%BC%91`, `１`, and
 * `Ｘ`, `ｘ`), or encoded by a client that encodes every character (`%31`, `%58`). No shape was
 * found in either, and a log line showed the number whole. A run of seven or more digits holding
 * one is read decoded; where that masks something, the text is shown decoded, else as it was.
 */
// And an ID number's check char after its 17 digits (`%58`, `%78`): `1101*********1002%58` showed.
const ENCODED_DIGIT = /%3[0-9]|%[Ee][Ff]%[Bb][Cc]%9[0-9]|(?<=[0-9]{17})%[57]8/;
const ENCODED_DIGIT_OR_X = '(?:%3[0-9]|%[Ee][Ff]%[Bb][Cc]%(?:9[0-9]|[Bb]8)|%[Ee][Ff]%[Bb][Dd]%98|%[57]8)';
const ENCODED_DIGIT_RUN = new RegExp(
  `(?:[0-9]|${ENCODED_DIGIT_OR_X})*(?:${ENCODED_DIGIT.source})(?:[0-9]|${ENCODED_DIGIT_OR_X})*`,
  'g',
);
const PLAIN_DIGIT_RUN = /^[0-9]{7,}[Xx]?$/;

function withEncodedDigitsDecoded(text: string): string {
  return text.replace(ENCODED_DIGIT_RUN, (run) => {
    let plain: string;
    try {
      // A full-width digit decodes to one: made half-width, a digit as the shapes read it.
      plain = decodeURIComponent(run).replace(/[\uFF10-\uFF19\uFF38\uFF58]/g, (ch) =>
        String.fromCharCode(ch.charCodeAt(0) - 0xfee0),
      );
    } catch {
      return run;
    }
    return PLAIN_DIGIT_RUN.test(plain) ? plain : run;
  });
}

/** `text` with `mask` applied to its half-width form, and again across invisible characters. */
function maskedWhateverWidth(text: string, mask: (half: string) => string): string {
  // `includes` first: most texts hold no `%`, and are read once (SEVEN_DIGITS).
  if (text.includes('%') && ENCODED_DIGIT.test(text)) {
    const decoded = withEncodedDigitsDecoded(text);
    if (decoded !== text) {
      const masked = maskedWhateverWidth(decoded, mask);
      return masked === decoded ? text : masked;
    }
  }
  if (!SEVEN_DIGITS.test(text)) return text;
  const masked = inHalfWidth(text, mask);
  if (text.search(INVISIBLE_IN_NUMBER) < 0 && text.search(ENCODED_IN_NUMBER) < 0) return masked;
  // An invisible character inside a number (a zero-width space, a soft hyphen, a bidi mark, as
  // text pasted from web forms holds them) split it into runs too short for any shape, and the
  // number went out whole. Read without them; where that masks something, the text is shown
  // without them (they show nothing), else as it was.
  const joined = withoutEncodedInvisible(masked.replace(INVISIBLE_IN_NUMBER, ''));
  const rejoined = inHalfWidth(joined, mask);
  return rejoined === joined ? masked : rejoined;
}

// Characters that show nothing (./invisible-text.ts INVISIBLE, Unicode Cf: zero-width space and
// joiners, the byte order mark, the soft hyphen, bidi marks, embeddings, overrides and isolates)
// standing between digits (half- or full-width), an ID number's check char or a group's separator
// (GROUP_SEPARATOR, either width).
const INVISIBLE_IN_NUMBER = new RegExp(
  `(?<=[0-9\\uFF10-\\uFF19${FULL_WIDTH_SEPARATORS}${SEPARATOR_CHARS}])(?:${INVISIBLE.source})+(?=[0-9\\uFF10-\\uFF19XxＸｘ${FULL_WIDTH_SEPARATORS}${SEPARATOR_CHARS}])`,
  'gu',
);

// The same characters percent-encoded, as a URL's query or a form's body carries what a person
// pasted (`id=110105%E2%80%8B19491231…`): they split a number as the characters do, and a log line
// showed it whole. Dropped where they decode to characters that show nothing only. Four at most
// (BETWEEN_DIGITS): each escape after a digit read the rest of a run of encoded text again.
const ENCODED_IN_NUMBER = new RegExp(
  `(?<=[0-9\\uFF10-\\uFF19${FULL_WIDTH_SEPARATORS}${SEPARATOR_CHARS}])(?:${ENCODED_CHAR}){1,4}(?=[0-9\\uFF10-\\uFF19XxＸｘ${FULL_WIDTH_SEPARATORS}${SEPARATOR_CHARS}])`,
  'g',
);
const ALL_INVISIBLE = new RegExp(`^(?:${INVISIBLE.source})+$`, 'u');

function withoutEncodedInvisible(text: string): string {
  return text.replace(ENCODED_IN_NUMBER, (run) => {
    try {
      return ALL_INVISIBLE.test(decodeURIComponent(run)) ? '' : run;
    } catch {
      // Bytes that are no UTF-8 (`%E2%80` cut short) decode to nothing: left as they stand.
      return run;
    }
  });
}

/**
 * Whether a `%XX` escape stands right before `at`. A number is read from right after one
 * (DIGITS_BEFORE), and the escape's hex is no unit code's department and kind: an old ID number
 * after `%91` with a letter after it (`%91650712430128769A`) was left whole as an 18-char code.
 */
function afterEscape(text: string, at: number): boolean {
  return at >= 3 && ESCAPE_BEFORE.test(text.slice(at - 3, at));
}
const ESCAPE_BEFORE = /^%[0-9A-Fa-f]{2}$/;

/**
 * `text` with the numbers found by their shape masked. `unitsWin`, as a log line reads it: in a run
 * that may be a unit's credit code (inUnitCode), an old ID number's 15 digits (`N1` then 15 digits
 * then `XD`) are left whole, with a type code's three digits after the code too: no check char says
 * they are a person's. A mobile number's 11 are left in any code with a right GB 32100 check char
 * (inCode), which holds every run inUnitCode takes. An ID number's 18 are masked there still: a
 * mistyped one (its check char wrong) passes GB 32100's check one time in 31.
 */
function maskHalfWidthShapes(text: string, unitsWin = false): string {
  return text
    .replace(ID_SHAPE, (id, century: string, yy: string, mm: string, dd: string) =>
      isCalendarDate(Number(century + yy), Number(mm), Number(dd)) ? maskId(id) : id,
    )
    .replace(GROUPED_ID_SHAPE, (id, century: string, yy: string, mm: string, dd: string) =>
      isCalendarDate(Number(century + yy), Number(mm), Number(dd)) ? maskGroupedId(id) : id,
    )
    .replace(OLD_ID_SHAPE, (id, yy: string, mm: string, dd: string, at: number, whole: string) =>
      isCalendarDate(Number(`19${yy}`), Number(mm), Number(dd)) &&
      !(unitsWin && !afterEscape(whole, at) && inUnitCode(whole, at, at + id.length))
        ? maskId(id)
        : id,
    )
    .replace(OLD_GROUPED_ID_SHAPE, (id, yy: string, mm: string, dd: string) =>
      isCalendarDate(Number(`19${yy}`), Number(mm), Number(dd)) ? maskGroupedId(id) : id,
    )
    .replace(REGROUPED_RUN, maskRegroupedIds)
    .replace(MOBILE_SHAPE, (phone: string, _sep: string, at: number, whole: string) =>
      inCode(whole, at, at + phone.length) ? phone : maskContact(phone),
    )
    .replace(BRACKETED_MOBILE_SHAPE, maskContact);
}

/**
 * `text` with every number a person is known by masked by its shape: resident ID and mobile
 * numbers (maskPersonalShapes), then passport and travel permit numbers (mask.ts
 * maskPassportShapes: `E*******8`, `H*******7`). What an error's text, the CLI's lines and a
 * source's record key in a report or worklist show: a business system keyed by its holders'
 * documents makes the key personal data, and any other key stays whole, for a person to find the
 * row by.
 */
export function maskNumberShapes(text: string): string {
  return maskedWhateverWidth(text, maskHalfWidthNumbers);
}

/**
 * Passport and travel permit numbers read as ID and mobile numbers are: in half-width form and
 * across invisible characters. Masked only as typed in ASCII, one in full-width characters
 * (`Ｅ１２３４５６７８`) went out whole where numbers are masked by shape (the CLI's lines, a record
 * key in a report), and had only its middle cut by the digit rule (`Ｅ****５６７８`); one with a
 * zero-width space inside went out whole everywhere.
 */
function maskHalfWidthNumbers(half: string): string {
  return maskPassportShapes(maskHalfWidthShapes(half));
}

/**
 * `text` with every number masked that a log line masks (core/logger.ts): the numbers found by
 * their shape (maskNumberShapes) and an individual business's credit code, but a run that may be
 * a unit's credit code whole where no check char says a person's number is in it, and the numbers
 * only a check char tells: an ID number with digits glued to it and a bank card's (maskPersonInRuns).
 */
export function maskLogShapes(text: string): string {
  return maskedWhateverWidth(text, maskHalfWidthLogNumbers);
}

function maskHalfWidthLogNumbers(half: string): string {
  const shapes = maskHalfWidthShapes(maskIndividualBusinessCodes(half), true);
  return maskGroupedCardsHalfWidth(maskPersonInRuns(maskPassportShapes(shapes)));
}

/**
 * `text` with a bank card's number in groups of four, one space or dash throughout (`6228 4800 1234
 * 5671`), cut to its last four as a run is (./person-in-runs.ts), from a card's first digits (ISO/IEC
 * 7812) and passing the Luhn check: a batch in groups stays. A log line and an error's text use it.
 */
export function maskGroupedCards(text: string): string {
  return maskedWhateverWidth(text, maskGroupedCardsHalfWidth);
}
