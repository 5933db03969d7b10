/**
 * A person's numbers that only a check char tells inside a run of letters and digits, as a log line
 * cuts them (maskLogShapes in ./personal-shapes.ts): an ID number with digits glued to it, a bank
 * card's number.
 */
import { isCalendarDate } from './calendar-date.js';
import { inUnitCode, passesLuhn } from './legal-entity-code.js';
import { maskContact, maskId } from './mask.js';
import { residentIdCheckFor } from './resident-id.js';

/** Whether `id`, 17 digits and a check char (either case), has its right check char. */
function idCheckRight(id: string): boolean {
  return residentIdCheckFor(id) === id.charAt(17).toUpperCase();
}

/**
 * An ID number whose every part reads right: a province's two digits (GB/T 2260; 81-83 those of
 * residence permits for Hong Kong, Macao and Taiwan), four more, a birth date of 1800-2099 (asked of
 * a calendar) not after today, three digits and a right check char.
 */
const VERIFIED_ID =
  /^(?:1[1-5]|2[1-3]|3[1-7]|4[1-6]|5[0-4]|6[1-5]|71|8[1-3])[0-9]{4}(1[89]|20)([0-9]{2})([0-9]{2})([0-9]{2})[0-9]{3}[0-9Xx]$/;

function isVerifiedId(id: string): boolean {
  const d = VERIFIED_ID.exec(id);
  if (d === null) return false;
  const [year, month, day] = [Number(`${d[1]}${d[2]}`), Number(d[3]), Number(d[4])];
  return isCalendarDate(year, month, day) && bornBy(year, month, day) && idCheckRight(id);
}

/**
 * Whether a birth date is today or before (China's today: a day ahead of UTC at most). A division,
 * a date and a sequence number (`license no 37021120990323562X…`) read as an ID number one in ten
 * with a digit glued to it; only those dated ahead are told apart so, not one dated in the past.
 */
function bornBy(year: number, month: number, day: number): boolean {
  return Date.UTC(year, month - 1, day) <= Date.now() + DAY_MS;
}
const DAY_MS = 86_400_000;

/**
 * A license identifier (GB/T 36904): a platform's serial may be any digits, and stays whole. Three
 * parts after the root (type code, issuer, serial: licenseId in catalog/identifier.ts) or five
 * (version and check char after them); with five only, one with a serial of digits was cut one in
 * ten.
 */
const LICENSE_IDENTIFIER = /1\.2\.156\.3005\.2(?:\.[0-9A-Za-z]+){3,5}/g;

/**
 * Where each license identifier in `text` starts and ends, in order and apart. Read once per text,
 * and only once a card's number is found: read again for each card, a line of many cards took time
 * growing with the square of its length (8,000 cards, 136 KB: 38 ms at cbda075f, 600 ms at 6c7f09e7).
 */
function licenseIdentifierSpans(text: string): readonly (readonly [number, number])[] {
  if (!text.includes('1.2.156.3005.2.')) return [];
  return Array.from(text.matchAll(LICENSE_IDENTIFIER), (m) => [m.index, m.index + m[0].length] as const);
}

/** Sixteen digits in a row: every card number and ID number maskPersonInRuns finds holds them. */
const SIXTEEN_DIGITS = /[0-9]{16}/;
const LONG_DIGIT_RUN = /[0-9]{16,}/g;
/**
 * A card's first digits (ISO/IEC 7812 issuer numbers): 4 Visa, 51-55 and 2221-2720 Mastercard, 35
 * JCB, 60 and 62 UnionPay and domestic banks (`601382`, `622848`), 65 Discover, 9 older domestic
 * cards (`9558`). Any of 2-6 and 9 cut a compact time (`20240327234021132`), a batch number or a
 * platform's serial one time in ten, as Luhn's check passes any digits.
 */
const CARD_FIRST = /^(?:4|5[1-5]|22[2-9]|2[3-6]|27[01]|2720|35|6[025]|9)/;

/**
 * `text` with each run of 16 digits or more holding what only a check char tells a person's: an ID
 * number whose every part reads right (isVerifiedId) with digits glued before or after it (`7` or
 * `N1` before it, `5` or a type code's `032` after it; with letters only it has its shape and is
 * masked already), masked as one standing alone is (`74405**********0014`), wherever it stands, a
 * unit's code among them (one in 31 ID numbers passes GB 32100's check char: the ID number wins);
 * and a run of 16 to 19 digits from a card's first digit that passes the Luhn check, cut to its last
 * four, unless it is part of what may be a unit's code (inUnitCode) or of a license identifier.
 * Digits inside a longer run that would pass the Luhn check are left: one window in ten does.
 */
export function maskPersonInRuns(text: string): string {
  if (!SIXTEEN_DIGITS.test(text)) return text;
  let spans: readonly (readonly [number, number])[] | undefined;
  let span = 0;
  // Runs come in order, so the identifier that may hold one is the last to start at or before it.
  const inLicenseIdentifier = (start: number, end: number): boolean => {
    spans ??= licenseIdentifierSpans(text);
    while (span + 1 < spans.length && (spans[span + 1]?.[0] ?? Infinity) <= start) span++;
    const s = spans[span];
    return s !== undefined && s[0] <= start && end <= s[1];
  };
  return text.replace(LONG_DIGIT_RUN, (run: string, at: number) => {
    const next = text.charAt(at + run.length);
    let out = '';
    let from = 0;
    for (let i = 0; i + 17 <= run.length; i++) {
      const id =
        i + 18 <= run.length ? run.slice(i, i + 18) : next === 'X' || next === 'x' ? run.slice(i) + next : '';
      if (id === '' || !isVerifiedId(id)) continue;
      out += run.slice(from, i) + maskId(id).slice(0, run.length - i);
      from = i + 18;
      i += 17;
    }
    if (from > 0) return out + run.slice(from);
    const end = at + run.length;
    if (run.length > 19 || !CARD_FIRST.test(run) || !passesLuhn(run)) return run;
    if (inUnitCode(text, at, end) || inLicenseIdentifier(at, end)) return run;
    return maskContact(run);
  });
}

/**
 * `half` (half-width) with a bank card's number in groups of four, one space or dash throughout
 * (`6228 4800 1234 5671`), cut to its last four as a run is, from a card's first digits (CARD_FIRST)
 * and passing the Luhn check: a batch in groups stays (./personal-shapes.ts maskGroupedCards).
 */
export function maskGroupedCardsHalfWidth(half: string): string {
  return half.replace(GROUPED_CARD, (card: string) => {
    const digits = card.replace(/[ -]/g, '');
    if (!CARD_FIRST.test(digits) || !passesLuhn(digits)) return card;
    let left = digits.length - 4;
    return card.replace(/[0-9]/g, (d) => (left-- > 0 ? '*' : d));
  });
}
const GROUPED_CARD =
  /(?<![0-9A-Za-z]|[0-9][ -])[0-9]{4}([ -])[0-9]{4}\1[0-9]{4}\1[0-9]{4}(?:\1[0-9]{1,3})?(?![0-9A-Za-z]|[ -][0-9])/g;
