/**
 * Masking of personal data for messages, reports and logs. An ID number of 14 characters or more
 * keeps its first four and last four (`1101**********002X`); a shorter one keeps fewer, so that at
 * least six stay hidden, and one of eight or fewer keeps none (see `maskId`). A name keeps its
 * first character.
 */
import { inHalfWidth } from './half-width.js';
import { inUuid } from './hex-identifier.js';

/** Characters `maskId` always hides of a value longer than eight. */
const ID_HIDDEN = 6;

/**
 * An ID number keeps up to four characters at each end, fewer for a shorter one so that at least
 * six stay hidden: four and four of a 9-character passport number (`E123*5678`) or an 11-digit
 * mobile number would show all but one or three characters.
 */
export function maskId(value: string): string {
  // By code point, as maskName and maskContact: a supplementary character (𠮷) is never cut in half.
  const chars = Array.from(value);
  if (chars.length <= 8) return '*'.repeat(chars.length);
  const keep = Math.min(4, Math.floor((chars.length - ID_HIDDEN) / 2));
  return `${chars.slice(0, keep).join('')}${'*'.repeat(chars.length - 2 * keep)}${chars.slice(-keep).join('')}`;
}

export function maskName(value: string): string {
  const chars = Array.from(value);
  if (chars.length === 0) return '';
  return `${chars[0]}${'*'.repeat(Math.max(1, chars.length - 1))}`;
}

/**
 * A holder's phone number or app user id: only the last four characters stay (`*******8000`), and
 * nothing of a value of eight or fewer. Less than `maskId` keeps: a phone number's first digits
 * name its carrier and region, and with the last four they narrow it down to a few people.
 */
export function maskContact(value: string): string {
  const chars = Array.from(value);
  if (chars.length <= 8) return '*'.repeat(chars.length);
  return `${'*'.repeat(chars.length - 4)}${chars.slice(-4).join('')}`;
}

/**
 * The start of a number standing alone: no letter or digit before it, or only the last of a
 * percent-escape (`id%3D1101…` in a URL-encoded query, where `D` ends `%3D`, the `=`) or of a
 * `\uXXXX` escape (a source key's NUL written `\u0000` on a PostgreSQL ledger, ledger/nul-text.ts).
 */
export const ALONE_BEFORE = '(?:(?<![0-9A-Za-z])|(?<=%[0-9A-Fa-f]{2})|(?<=\\\\u[0-9A-Fa-f]{4}))';

/**
 * The start of a run of digits: no digit before it, or an escape's last (`%20`, `\u0000`), as in
 * ALONE_BEFORE. For resident ID numbers (./personal-shapes.ts), which are masked whatever letters
 * stand beside them: a record key naming the document (`SFZ110105…`, `ID110105…`) or wrapping it
 * (`A110105…B`) holds the whole number, and was shown whole while only a number standing alone
 * was looked for. Letters cannot end a number early as digits can: only a longer run of digits
 * (a bank card, a timestamp, a serial) is no ID number.
 */
export const DIGITS_BEFORE = '(?:(?<![0-9])|(?<=%[0-9A-Fa-f]{2})|(?<=\\\\u[0-9A-Fa-f]{4}))';

// A PRC passport number standing alone in a text: E or G and eight digits, E, a letter (I and O are
// not used) and seven digits, or the D, S and P series of diplomatic, service and public-affairs
// passports with seven or eight digits, and their electronic passports, whose series letter takes
// an E and seven digits (`DE1234567`, `SE…`, `PE…`), or the older numbers of the service and
// public-affairs series written with a dot (`S.1234567`, `P.…`); and the passports of the Hong Kong
// (K and eight digits) and Macao (MA and seven) special administrative regions. Those went out
// whole in a log line, which masks numbers by their shape only. So is the travel permit the PRC
// issues Hong Kong and Macao residents (holder id type 516), a number they hold licenses under: H
// or M and eight digits (the card), or ten (the booklet before it). Other countries' numbers have
// no shape to tell them by. Typed in lower case (`e12345678`) as well. An ordinary passport's
// number (E or G) may have letters glued before it, as a record key names the document
// (`NoE12345678`, `PPE12345678`): only its digits' middle was cut in an error's text, and a log
// line showed it whole. Its letter is then upper case (`page12345678` is a word and a number). The
// other series stay alone after a capital: a capital glued before D, S, P, H or M and digits is as
// often a word's last (`ORDERS1234567`, `ITEM12345678`). After a lower-case letter their capital
// starts a word, as a key in camel case names the document (`passportD1234567`, `permitH01234567`):
// those went out whole in a log line.
// A serial often is a letter and a date (`K20240101`): a Hong Kong passport's eight digits that
// read as one (yyyymmdd, 1900-2099) are taken for such a serial, a number in some thousand or so.
// The two-letter and dotted series are masked as passports print them, in capitals: `de1234567`,
// `p.1234567` (a page) and `ma1234567` are a code's or a reference's far more often.
const NOT_A_DATE = '(?!(?:19|20)[0-9]{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12][0-9]|3[01]))';
const PASSPORT_SHAPE = new RegExp(
  `(?:${ALONE_BEFORE}(?:[EeGg][0-9]{8}|[Ee][A-HJ-NP-Za-hj-np-z][0-9]{7}|[DSPdsp][0-9]{7,8}|[DSP]E[0-9]{7}|[PS]\\.[0-9]{7}|[HMhm][0-9]{8}(?:[0-9]{2})?|[Kk]${NOT_A_DATE}[0-9]{8}|MA[0-9]{7})|(?<=[A-Za-z])(?:[EG][0-9]{8}|E[A-HJ-NP-Z][0-9]{7})|(?<=[a-z])(?:[DSP]E?[0-9]{7}|[DSP][0-9]{8}|[HM][0-9]{8}(?:[0-9]{2})?|K${NOT_A_DATE}[0-9]{8}|MA[0-9]{7}))(?![0-9A-Za-z])`,
  'g',
);

/** `word` in lower case, capitalised or in capitals (`passport`, `Passport`, `PASSPORT`). */
const anyCase = (word: string): string =>
  `(?:${word}|${word[0]?.toUpperCase()}${word.slice(1)}|${word.toUpperCase()})`;
const LATIN_DOCUMENT = `(?:${anyCase('passport')}|${anyCase('travel')}[ _-]?${anyCase('document')}|${anyCase('zjhm')}|${anyCase('hzhm')}|${anyCase('sfzh')}[mM]?)`;
const LATIN_NUMBER = `(?:[ _-]?(?:${anyCase('no')}\\.?|${anyCase('number')}|${anyCase('num')}))?`;
/** Standing alone or starting a word of a key in camel case (`holderPassportNo`). */
const LATIN_START = '(?:(?<![A-Za-z])|(?<=[a-z])(?=[A-Z]))';
/** Then a sign, quotes, spaces or a bracket (`证件号码为`, `护照号（…）`, `证件号码【…】`), or nothing. */
const LABEL_END = `[ "'：:=#(（【［\\[]{0,4}`;
/**
 * The kind of document in brackets after the label (`证件号码（港澳通行证）：C…`, `证件号码(护照)：…`): the
 * number after it went out whole, the label read as ending at the bracket.
 */
const DOCUMENT_KIND = '(?:[（(][^（()）]{1,12}[）)])';
/**
 * A key naming a person's ID or document number in a log line's `key=value` (`idNo=`, `idCard=`,
 * `idCardNo=`, `id_number=`, `certNo=`, `certNum=`): standing alone, as `orderIdNo` names an
 * order's and `id=` a record's.
 */
/**
 * A record's key `documentNo`, `certificateNo` (the spelt-out `certNo`), `document_number`: joined,
 * as a key is. `document` or `certificate` alone is as often a file's or a TLS certificate's, and
 * `document no.` in prose a license's own document.
 */
const LATIN_NUMBERED = `(?:${anyCase('document')}|${anyCase('certificate')})[_-]?(?:${anyCase('no')}|${anyCase('number')}|${anyCase('num')})`;
const LATIN_ID_KEY = `(?<![A-Za-z])(?:${anyCase('id')}(?:[ _-]?${anyCase('card')}${LATIN_NUMBER}|[ _-]?(?:${anyCase('no')}|${anyCase('number')}|${anyCase('num')}))|${anyCase('cert')}[ _-]?(?:${anyCase('no')}|${anyCase('number')}|${anyCase('num')}))(?![A-Za-z])`;
/**
 * A label saying a person's document number follows: 证件号码, 身份证号码, 公民身份号码 (a resident ID
 * number typed wrong is none by its shape), 护照号, 通行证号码 (the Mainland's
 * exit-entry permit for Hong Kong and Macao, 往来港澳通行证, or for Taiwan, 往来台湾通行证, or a Hong
 * Kong or Macao resident's, 港澳居民来往内地通行证), with a space inside as typed (`护照 号`),
 * `passport`, `passportNo`, `travel document no.`, and the pinyin initials of 证件号码, 护照号码 and
 * 身份证号(码) a legacy column is named by (`zjhm`, `hzhm`, `sfzh`, `sfzhm`).
 */
const PERSON_DOCUMENT_LABEL = `(?:(?:证件|护照|通行证|回乡证|身份证|公民身份)(?: ?(?:号码|号|编号))?${DOCUMENT_KIND}?(?:为|是)?|${LATIN_START}${LATIN_DOCUMENT}${LATIN_NUMBER}|${LATIN_START}${LATIN_NUMBERED}|${LATIN_ID_KEY})${LABEL_END}`;
/** Such a label, or `permit no.`: a license is a permit too, so no number of digits alone after it. */
const DOCUMENT_LABEL = `(?:${PERSON_DOCUMENT_LABEL}|${LATIN_START}${anyCase('permit')}${LATIN_NUMBER}${LABEL_END})`;
/**
 * A passport or travel permit number after such a label, in any case: there a K and a date
 * (`K19850312`) is a Hong Kong passport's, not a serial, and a lower-case series (`de1234567`,
 * `p.1234567`), which bare is a code's or a page's far more often, is a person's as typed into a
 * legacy form. Bare, PASSPORT_SHAPE leaves both. So are the exit-entry permits' (C and eight digits
 * on the card for Hong Kong and Macao since 2014, W and eight in the booklet before it, T and eight
 * or eight digits for Taiwan), which bare read as a code, and after a label naming a person's
 * document a number of eight digits or more alone, or with a check letter X, or of seven or more
 * after one or two letters (a foreign passport's, `AB1234567`, a permit's, a resident ID number
 * typed wrong), which bare reads as a date, an amount or a timestamp.
 */
/**
 * An ID number in its groups (6-8-4 or the old 6-6-3) with a space or a dash between them, after a
 * person's document label: one typed wrong (a month 13) is none by its shape, and went out whole.
 */
const GROUPED_DIGITS = '[0-9]{6}(?:([ -])[0-9]{8}\\1[0-9]{3}[0-9Xx]|([ -])[0-9]{6}\\2[0-9]{3})';
/**
 * A foreign passport's or another document's number, after a person's document label: six to 20
 * letters and digits, five digits or more and a letter among them, in any order (`ABC123456`,
 * `12AB34567`, `C01X00T47`; ICAO 9303 allows any nine). They went out whole after `证件号码：` or
 * `certNo=`, where only one or two letters then seven digits were read. A word (`LB_SOURCE_SCHEMA`)
 * has fewer digits; words and a code joined by dashes (`LB-2024-01`) stand no run alone.
 */
const MIXED_NUMBER = '(?=(?:[A-Za-z]*[0-9]){5})(?=[0-9]*[A-Za-z])[0-9A-Za-z]{6,20}';
/**
 * Such a number written in groups joined by dashes, a letter among them: two groups and five digits
 * (`G1234-5678`, `E-12345678`, `ABC-123456`; a full-width dash is read as one), or three or four
 * and seven digits (`AB-123-4567`). Read as runs a dash parts, it went out whole in a log line. A
 * date after the label has no letter (`护照 2024-01-15 到期`), and a code of words, a year and a
 * serial fewer digits (`LB-2024-01`, `LB-SOURCE-SCHEMA`).
 */
const DASHED_NUMBER =
  '(?=[0-9-]*[A-Za-z])(?:(?=(?:[A-Za-z-]*[0-9]){5})[0-9A-Za-z]{1,12}-[0-9A-Za-z]{1,12}(?![0-9A-Za-z_-])|(?=(?:[A-Za-z-]*[0-9]){7})[0-9A-Za-z]{1,12}(?:-[0-9A-Za-z]{1,12}){2,3})';
const LABELLED_DOCUMENT = new RegExp(
  `(?:(?<=${DOCUMENT_LABEL})(?:[EeGg][0-9]{8}|[Ee][A-HJ-NP-Za-hj-np-z][0-9]{7}|[DSPdsp][Ee]?[0-9]{7}|[DSPdsp][0-9]{8}|[PSps]\\.[0-9]{7}|[HMhm][0-9]{8}(?:[0-9]{2})?|[Kk][0-9]{8}|[Mm][Aa][0-9]{7}|[CcWwTt][0-9]{8})|(?<=${PERSON_DOCUMENT_LABEL})(?:${GROUPED_DIGITS}|${DASHED_NUMBER}|[A-Za-z]{1,2}[0-9]{7,}[0-9A-Za-z]?|[0-9]{8,}[Xx]?|${MIXED_NUMBER}))(?![0-9A-Za-z_-])`,
  'g',
);
/**
 * DOCUMENT_LABEL anywhere, read forward: a text holding none, most texts, skips LABELLED_DOCUMENT,
 * whose lookbehinds tried every label backwards from each of its characters (a third of an error
 * text's masking CPU, `holder 123456789012345678901 refused`). Both read the same text, and a label
 * a lookbehind ends at a position is a match a forward search finds, so nothing it masked is left.
 */
const DOCUMENT_LABEL_ANYWHERE = new RegExp(DOCUMENT_LABEL);

/**
 * MIXED_NUMBER after a person's document label, read forward from the label. maskNumberShapes and
 * maskLogShapes read no text without seven digits in a row (./personal-shapes.ts), and
 * `ABC123456` has six, so the names' pass every shown text takes (./labelled-names.ts) masks these
 * there; a text with seven digits in a row has them masked by LABELLED_DOCUMENT, and is not read
 * twice.
 */
const LABELLED_MIXED = new RegExp(
  `(${PERSON_DOCUMENT_LABEL})(${DASHED_NUMBER}|${MIXED_NUMBER})(?![0-9A-Za-z_-])`,
  'g',
);
/** A digit, then four more: MIXED_NUMBER holds five. */
const FIVE_DIGITS = /[0-9](?:[^0-9]*[0-9]){4}/;
const SEVEN_IN_A_ROW = /[0-9]{7}/;
/**
 * A word each of PERSON_DOCUMENT_LABEL's labels holds, in any case (a superset): a text without one,
 * most log lines, skips that pattern, which tried its labels at each of a 6 KB text's characters
 * (50-60 µs of CPU against 2 µs for the names' pass before 04b61606).
 */
const DOCUMENT_WORD =
  /证件|护照|通行证|回乡证|身份|[Pp](?:assport|ASSPORT)|[Tt](?:ravel|RAVEL)|[Zz][Jj][Hh][Mm]|[Hh][Zz][Hh][Mm]|[Ss][Ff][Zz][Hh]|[Cc](?:ert|ERT)|[Dd](?:ocument|OCUMENT)|[Ii][Dd][ _-]?[CcNn]/;

/**
 * `text` with a foreign document's number of letters and digits after its label masked (maskId),
 * where the shapes' passes do not read it: in a text without seven digits in a row.
 */
export function maskLabelledDocumentNumbers(text: string): string {
  // In its half-width form: one typed in full-width characters (`ＡＢＣ１２３４５６`) went out whole.
  return inHalfWidth(text, (half) => {
    if (!FIVE_DIGITS.test(half) || !DOCUMENT_WORD.test(half) || SEVEN_IN_A_ROW.test(half)) return half;
    return half.replace(LABELLED_MIXED, (_m, label: string, number: string) => `${label}${maskId(number)}`);
  });
}

// A Taiwan resident's travel permit for the mainland (台胞证, holder id type 511): 8 digits (the
// card, issued since 2015) or 10 (the booklet before it). Alone, 8 or 10 digits are as often a
// date, an amount or a timestamp, so one is taken for a permit only with the issue letter in
// brackets after it (`12345678(B)`, full-width brackets read as these) or after the permit's name
// (`台胞证号码：12345678`, `台湾居民来往大陆通行证 12345678`); a digit rule cuts the rest in text
// from outside (./scrub.ts).
const TAIWAN_PERMIT_SHAPE = new RegExp(
  `${DIGITS_BEFORE}[0-9]{8}(?:[0-9]{2})?(?=\\([A-Z]\\))|(?<=(?:台胞证|台湾居民来往大陆通行证)(?:号码|号|编号)?[:：]?\\s*)[0-9]{8}(?:[0-9]{2})?(?![0-9])`,
  'g',
);

// Words in capitals ending in E or G that a key or a text glues a number to (`LICENSE12345678`, a
// license's key): the glued-letters rule above read their last letter and the digits as a passport
// number. Kept only where the word stands whole and alone (no letter or digit before it) and its
// letter is the one before the digits: a passport number glued to anything else (`PPE…`,
// `LICENSEE…`, `LICENSE_E…`, `xLICENSE…`) is still masked. Only words whose letters without the last
// name no document: a record key glues a passport number to the document's name, never to `LICENS`.
const GLUED_WORDS = new Set(['LICENSE', 'LICENCE', 'CONFIG', 'MESSAGE']);
const CAPITAL = /[A-Z]/;
const LETTER_OR_DIGIT = /[0-9A-Za-z]/;

/** Whether the E or G at `text[at]` ends a word of GLUED_WORDS standing alone. */
function endsGluedWord(text: string, at: number): boolean {
  let from = at;
  while (from > 0 && CAPITAL.test(text[from - 1] ?? '')) from--;
  if (from === at || LETTER_OR_DIGIT.test(text[from - 1] ?? '')) return false;
  return GLUED_WORDS.has(text.slice(from, at + 1));
}

// Hex runs joined by dashes, a UUID (`D1234567-89AB-…`) or another hex id: a segment of one may
// have a passport number's shape, and masking it hid the id a person looks for in a log.
const HEX_ID = /^[0-9A-Fa-f]+(?:-[0-9A-Fa-f]+)+$/;
const UUID = /^[0-9A-Fa-f]{8}(?:-[0-9A-Fa-f]{4}){3}-[0-9A-Fa-f]{12}$/;

const HEX_LETTERS = /[A-Fa-f]/g;
const RUN_CHAR = /[0-9A-Za-z-]/;

/** A run of letters, digits and dashes, read once for all the passport numbers' shapes in it. */
interface Run {
  from: number;
  to: number;
  /** Hex runs joined by dashes (HEX_ID), and whether a UUID. */
  hex: boolean;
  uuid: boolean;
  hexLetters: number;
}

function runAround(text: string, start: number, end: number): Run {
  let from = start;
  let to = end;
  while (from > 0 && RUN_CHAR.test(text[from - 1] ?? '')) from--;
  while (to < text.length && RUN_CHAR.test(text[to] ?? '')) to++;
  const token = text.slice(from, to);
  const hex = HEX_ID.test(token);
  return {
    from,
    to,
    hex,
    uuid: hex && UUID.test(token),
    hexLetters: hex ? (token.match(HEX_LETTERS)?.length ?? 0) : 0,
  };
}

/**
 * Whether the run holding a passport number's shape at `text[start, end)` is a hex id: a UUID, or
 * hex runs joined by dashes with a hex letter outside that number. D and E are hex digits too, so
 * a passport number beside a dash and digits (`E12345678-1`, `2024-D1234567`) is no hex id. Or
 * whether a UUID holds it there: one a dash joins to a prefix (`repair-D1234567-0B3C-…`) is no hex
 * run throughout.
 */
function inHexId(text: string, start: number, end: number, run: Run): boolean {
  if (inUuid(text, start, end)) return true;
  if (!run.hex) return false;
  const inside = text.slice(start, end).match(HEX_LETTERS)?.length ?? 0;
  return run.uuid || run.hexLetters > inside;
}

/**
 * `text` with every PRC passport number, Hong Kong or Macao travel permit number and Taiwan
 * travel permit number in it masked as an ID number (`E*******8`, `********`: see maskId);
 * a segment of a UUID or of another dash-joined hex id is left as it is. The run around each is
 * read once for all the shapes in it: read again for each, a long run of them (`E…-E…-…`) took time
 * growing with the square of its length.
 */
export function maskPassportShapes(text: string): string {
  let run: Run | undefined;
  const shapes = text
    .replace(PASSPORT_SHAPE, (match: string, offset: number) => {
      const end = offset + match.length;
      if (endsGluedWord(text, offset)) return match;
      if (run === undefined || offset < run.from || end > run.to) run = runAround(text, offset, end);
      return inHexId(text, offset, end, run) ? match : maskId(match);
    })
    .replace(TAIWAN_PERMIT_SHAPE, maskId);
  return DOCUMENT_LABEL_ANYWHERE.test(shapes) ? shapes.replace(LABELLED_DOCUMENT, maskId) : shapes;
}
