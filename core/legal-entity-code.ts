/**
 * Whether a credit code-shaped run (18 chars of GB 32100's alphabet with a right check char) found
 * in text from outside reads as a legal entity's unified social credit code in each of its parts,
 * and so may be shown whole (./scrub.ts). GB 32100's check char alone is right for one run of 18
 * letters and digits in 31: a card number after a country's letters (`CN6222600884400462`), an ID
 * number's first 16 digits after letters or its last 15 before them, and a mobile number run on
 * into a digit and letters (`176000248020BHTMTB`) each passed it that often and went out whole. Each part
 * checked here leaves fewer: 35 pairs of department and kind of 31 × 31, 34 first two digits of a
 * division of 100, the organisation code's own check char one in 31 of what remains.
 */
import { isCalendarDate } from './calendar-date.js';
import { isValidUscc } from './uscc.js';

/**
 * GB 32100 table 1, with its amendments (A, N): each registration department's code and the kinds
 * of institution it registers. 1 establishment offices (1 organ, 2 public institution, 3 mass
 * organisation, 9 other), 2 foreign affairs, 3 justice (1 law firm, 2 notary, 3 legal service, 4 forensic
 * appraisal, 5 arbitration), 4 culture, 5 civil affairs (1 social group, 2 private non-enterprise,
 * 3 foundation), 6 tourism, 7 religion, 8 trade unions, 9 market regulation (1 enterprise, 3
 * cooperative; 2, an individual business, names a person as an ID number does and is left out),
 * A the military's establishment office, N agriculture (1-3 collective economic organisations of
 * group, village and township), Y other (1 only).
 */
const KINDS: Readonly<Record<string, string>> = {
  '1': '1239',
  '2': '19',
  '3': '123459',
  '4': '19',
  '5': '1239',
  '6': '129',
  '7': '129',
  '8': '19',
  '9': '13',
  A: '19',
  N: '1239',
  Y: '1',
};

/**
 * The registering office's division (GB/T 2260): a province's first two digits, Taiwan, Hong Kong
 * and Macao among them, or 100000 for an office of the whole country (`11100000000013338W`).
 */
const DIVISION = /^(?:(?:1[1-5]|2[1-3]|3[1-7]|4[1-6]|5[0-4]|6[1-5]|71|8[12])[0-9]{4}|100000)$/;

// GB 11714: the organisation code's eight chars weighted, 0-9 and A-Z as 0-35; check 11 − Σ mod 11,
// 10 written X and 11 written 0.
const ORG_WEIGHTS = [3, 7, 9, 10, 5, 8, 4, 2] as const;
function orgCodeCheckRight(org: string): boolean {
  let sum = 0;
  for (let i = 0; i < 8; i++) {
    const c = org.charCodeAt(i);
    sum += (c <= 57 ? c - 48 : c - 55) * (ORG_WEIGHTS[i] as number);
  }
  const check = 11 - (sum % 11);
  return org.charAt(8) === (check === 10 ? 'X' : check === 11 ? '0' : String(check));
}

/** A mobile number's eleven digits (1[3-9] and nine more). */
const MOBILE = /1[3-9][0-9]{9}/;
/**
 * A province's first two digits (GB/T 2260), as an ID number's area code opens: an old number
 * (15 digits) run on into others is read as one only after them, or one in three runs would be.
 */
const PROVINCE = /^(?:1[1-5]|2[1-3]|3[1-7]|4[1-6]|5[0-4]|6[1-5]|71|8[12])/;

/** Whether `run`, digits, pass the Luhn check a bank card number's last digit makes (ISO/IEC 7812). */
export function passesLuhn(run: string): boolean {
  let sum = 0;
  for (let i = 0; i < run.length; i++) {
    let d = Number(run[run.length - 1 - i]);
    if (i % 2 === 1) d = d * 2 > 9 ? d * 2 - 9 : d * 2;
    sum += d;
  }
  return sum % 10 === 0;
}

/**
 * Whether `run`, 16 to 19 digits, or 16 to 19 of its digits from a card's first digit (3 American
 * Express and JCB, 4 Visa, 5 Mastercard, 6 UnionPay) pass the Luhn check: a card's number glued after
 * the code's first digits (`3` then a Visa card's `4128…`, `A9` then a UnionPay card's `6295…`)
 * checks right in itself, not with the digits before it.
 */
function cardIn(run: string): boolean {
  if (run.length >= 16 && run.length <= 19 && passesLuhn(run)) return true;
  for (let at = 0; at + 16 <= run.length; at++)
    if (/[3-6]/.test(run.charAt(at)))
      for (let len = 16; len <= 19 && at + len <= run.length; len++)
        if (passesLuhn(run.slice(at, at + len))) return true;
  return false;
}

/** Whether `run[at, at + 8)` is a date of birth (yyyymmdd, 1800-2099) a calendar has. */
function birthDateAt(run: string, at: number): boolean {
  const d = /^(1[89]|20)([0-9]{2})([0-9]{2})([0-9]{2})/.exec(run.slice(at, at + 8));
  return d !== null && isCalendarDate(Number(`${d[1]}${d[2]}`), Number(d[3]), Number(d[4]));
}

/**
 * Whether a maximal run of digits in a code may be a person's number, or hold one:
 * - a mobile number's eleven digits anywhere in the run: starting it (at the code's start or after
 *   its letter: `176000248020BHTMTB`), ending it (run on into letters after a digit: `9` then
 *   `13712345678` then `ABCD…`) or with digits on both sides (`9` then `16467834547` then `8054…`);
 * - exactly 15 digits, an old ID number's count (GB 11643-1989), whatever its date reads;
 * - 16 to 19 digits from a card's first digit a bank card's Luhn check reads right, the whole run
 *   (`6222…` before `X` and a check char) or part of it (`3` then `4128…`);
 * - of 14 or more, a year of birth where an ID number has one from the run's start or from a
 *   province's digits inside it (no calendar asked: a mistyped month or day is a person's still), a
 *   date of birth a calendar has anywhere (an ID number's digits after its first few, glued to a
 *   letter), or an old number's area and date (yymmdd) with its three digits after (`91` then
 *   `110101900307123`; after `91` whatever the date reads).
 * A code whose organisation code is all digits, as a government body's converted one is
 * (`11100000000013338W`, `11220000013544541J`), runs 17 digits: it is shown whole when none of
 * these reads in it, and was cut whole while any 15 digits in a row were taken for an old number.
 */
function runMayBePerson(run: string): boolean {
  const n = run.length;
  if (n < 11) return false;
  // Anywhere: a kind 1 then a division from 3 on, or a division of 13-15, reads as a mobile number
  // from the code's second or third char (`9137021167890ABC84`, `11330105002500287C`), and so does a
  // person's number glued there (`9164678345478054XW`), which nothing tells apart.
  if (MOBILE.test(run)) return true;
  if (n === 15 || cardIn(run)) return true;
  if (n < 14) return false;
  // A year of birth after an area's six digits, from the run's start or from a province's digits
  // after it (`N1` then `110105 1952 19…`, month 19): no calendar asked.
  for (let at = 0; at + 14 <= n; at++)
    if ((at === 0 || PROVINCE.test(run.slice(at))) && /^[0-9]{6}(?:1[89]|20)/.test(run.slice(at, at + 8)))
      return true;
  // An old number after `91`, the market regulator's enterprise, whatever its date reads: its 15
  // digits and an organisation code's all-digit 15 after the division are the same shape, and a
  // mistyped date (`91` then `120101 792806 845`) is a person's still.
  if (n === 17 && /^91/.test(run) && PROVINCE.test(run.slice(2))) return true;
  for (let at = 0; at + 8 <= n; at++) if (birthDateAt(run, at)) return true;
  for (let at = 0; at + 15 <= n; at++) {
    const old = /^[0-9]{6}([0-9]{2})([0-9]{2})([0-9]{2})/.exec(run.slice(at, at + 12));
    if (PROVINCE.test(run.slice(at)) && old !== null)
      if (isCalendarDate(Number(`19${old[1]}`), Number(old[2]), Number(old[3]))) return true;
  }
  return false;
}

/**
 * Whether a credit code's characters may be a person's number ({@link runMayBePerson}): a resident
 * ID number (GB 11643) passes GB 32100's check one time in 31 (`11010519491231037X`), one with a
 * mistyped check char as often (`11010519491231002B`). Read in its 18 chars, and in the 21 with a
 * license type code's three digits, whose run a check digit runs on into.
 */
function mayBePersonNumber(code: string): boolean {
  const runs = [
    ...(code.slice(0, 18).match(DIGIT_RUNS) ?? []),
    ...(code.length > 18 ? (code.match(DIGIT_RUNS) ?? []) : []),
  ];
  return runs.some(runMayBePerson);
}
const DIGIT_RUNS = /[0-9]+/g;

/**
 * A letter among a code's 18 chars. A run of 18 digits (or 21) is read as a number whatever checks
 * it passes: GB 32100's check and each part's let a mistyped ID number, a card number or an ID
 * number's first 16 digits after `91` through (`621196902814972431`, `911101051996091031`).
 */
const LETTER = /[A-Z]/;

/**
 * Whether `code`, 18 chars of GB 32100's alphabet with a right check char (or 21, the three digits
 * of a license type code after them), is a legal entity's credit code to be shown whole: department
 * and kind from GB 32100's table (not an individual business's, `92…`), a province's division,
 * an organisation code with a right GB 11714 check char, and nothing a person's number may be.
 */
export function isLegalEntityCode(code: string): boolean {
  return (
    LETTER.test(code.slice(0, 18)) &&
    (KINDS[code.charAt(0)] ?? '').includes(code.charAt(1)) &&
    DIVISION.test(code.slice(2, 8)) &&
    orgCodeCheckRight(code.slice(8, 17)) &&
    !mayBePersonNumber(code)
  );
}

/**
 * Whether `code`, 18 chars, may be a unit's credit code, in either case: a registration
 * department's char and a kind it registers (GB 32100 table 1), a division's first two digits and a
 * right GB 32100 check char, nothing more.
 * A log line shows such a run whole (core/logger.ts): a license identifier's issuer and holder
 * name the unit a line is about, and a code issued with a wrong GB 11714 check char in its
 * organisation code (the demo's `11370211MB12345672`) or one whose all-digit organisation code
 * reads as a card's or a mobile number's digits (one in ten of them) is a unit's still. Only what is
 * positively a person's number is cut inside one: an ID number whose own check char is right
 * (./personal-shapes.ts). A card's digits glued to letters no department has (`CN6222…`) are none.
 */
export function mayBeUnitCode(code: string): boolean {
  if (code.length !== 18) return false;
  const upper = code.toUpperCase();
  return (
    (KINDS[upper.charAt(0)] ?? '').includes(upper.charAt(1)) &&
    DIVISION.test(upper.slice(2, 8)) &&
    isValidUscc(upper)
  );
}

/**
 * Whether the run of letters and digits around `text[start, end)` may be a unit's credit code
 * (mayBeUnitCode), in either case: the run is 18 chars, or 21 with a license type code's three
 * digits after them (GB/T 36904), as inCode in ./personal-shapes.ts reads a code. A card's digits
 * there are a unit's code's one time in ten, an old ID number's 15 or a mobile number's 11 often,
 * and are left. Not any 18 chars of a longer run (418e5ace): a mobile number or an old ID number
 * glued to a name in pinyin (`19368451063chengang`) went out whole, as a card's digits glued to
 * letters did.
 */
export function inUnitCode(text: string, start: number, end: number): boolean {
  let from = start;
  let to = end;
  // Read no further than a code's 21 chars: a longer run is none, and a long line stays linear.
  while (from > 0 && to - from <= 21 && ALNUM.test(text.charAt(from - 1))) from--;
  while (to < text.length && to - from <= 21 && ALNUM.test(text.charAt(to))) to++;
  if (to - from === 18) return mayBeUnitCode(text.slice(from, to));
  return (
    to - from === 21 &&
    TYPE_CODE_AFTER.test(text.slice(from, to)) &&
    mayBeUnitCode(text.slice(from, from + 18))
  );
}
const ALNUM = /[0-9A-Za-z]/;
const TYPE_CODE_AFTER = /[0-9]{3}$/;
