/**
 * Holder identifier checks: unified social credit code (GB 32100-2015) and resident ID number
 * (GB 11643-1999), selected by the GB/T 36903 holder id type code.
 */

import { isCalendarDate } from '../core/calendar-date.js';
import { HOLDER_ID_TYPES } from '../core/code-lists.js';
import { invisibleNote } from '../core/invisible-text.js';
import { DEFAULT_TIME_ZONE, localDate } from '../core/local-date.js';
import { maskId } from '../core/mask.js';
import { residentIdCheckFor } from '../core/resident-id.js';
import { isValidUscc, usccCheckFor, usccSum } from '../core/uscc.js';

/** GB/T 36903 annex A holder id type codes, as platforms use them. */
export { HOLDER_ID_TYPES };
export type HolderIdType = (typeof HOLDER_ID_TYPES)[number];

/** Id types a legal person or other organisation holds; every other code names a person's document. */
export const ORGANISATION_ID_TYPES: readonly HolderIdType[] = ['001', '099'];

/** GB 32100 check char of the first 17 chars. Throws RangeError on chars outside the alphabet. */
export function usccCheckChar(first17: string): string {
  if (first17.length !== 17) throw new RangeError(`uscc: need 17 chars, got ${first17.length}`);
  const sum = usccSum(first17);
  if (sum < 0) throw new RangeError(`uscc: char ${-sum} is not in the GB 32100 alphabet`);
  return usccCheckFor(sum);
}

export { isValidUscc };

/**
 * Why an organisation's credit code (an issuing unit's, public) is not a valid one, naming the
 * check character its first 17 call for when only that one is wrong; null when it is valid.
 */
export function usccProblem(code: string): string | null {
  if (isValidUscc(code)) return null;
  return usccCheckCharProblem(code) ?? `${code} is not a valid credit code (GB 32100)`;
}

/**
 * For 18 characters of the GB 32100 alphabet whose last is not the check character the first 17
 * call for: what is wrong, naming the right one. Null for any other code, valid or not.
 */
export function usccCheckCharProblem(code: string): string | null {
  if (code.length !== 18 || isValidUscc(code)) return null;
  const first17 = code.slice(0, 17);
  let check: string;
  try {
    check = usccCheckChar(first17);
  } catch {
    return null;
  }
  return `${code} fails the GB 32100 check: the first 17 characters call for the check character ${check} (${first17}${check})`;
}

/** GB 11643 check char of the first 17 digits. */
export function residentIdCheckChar(first17: string): string {
  if (!/^[0-9]{17}$/.test(first17)) throw new RangeError('resident id: need 17 digits');
  return residentIdCheckFor(first17);
}

export { isCalendarDate };

type IdProblem = { code: string; message: string };

// Today as yyyymmdd on the wall clock of China Standard Time (core/local-date.ts), not the host's
// zone: a host on UTC is still on yesterday between 00:00 and 08:00 in Beijing, and would refuse the
// number of a child born today as "born in the future". Kept until the next local midnight:
// reading the zone's calendar on every resident id checked is a large part of the check.
let todayCache = { key: 0, from: 0, until: 0 };

const dateKey = (iso: string): number => Number(iso.replaceAll('-', ''));

/**
 * The day a check takes as today: a `Date`, whose day in China Standard Time it is, or the day
 * itself, `YYYY-MM-DD` — a pinned day, or today in the configured zone, as a mapping takes it.
 */
export type CheckDay = Date | string;

// The day of the catalog validation under way (Catalog.validate's `today`): the schema's
// `resident-id` format and `holderIdType` keyword are handed no context, so they read it here.
// Set only for the validation's synchronous run.
let validationDay: string | undefined;

/**
 * Makes `day` (`YYYY-MM-DD`, or undefined for the clock) today for the checks until the next call;
 * returns the day it replaces, to put back when the validation ends.
 */
export function useValidationDay(day: string | undefined): string | undefined {
  const before = validationDay;
  validationDay = day;
  return before;
}

function todayKey(today: CheckDay | undefined): number {
  if (typeof today === 'string') return dateKey(today);
  if (today) return dateKey(localDate(DEFAULT_TIME_ZONE, today));
  if (validationDay !== undefined) return dateKey(validationDay);
  const now = Date.now();
  if (now >= todayCache.from && now < todayCache.until) return todayCache.key;
  const key = dateKey(localDate(DEFAULT_TIME_ZONE, new Date(now)));
  // The next local midnight, found by bisection over the coming 26 hours to the second (some 17
  // calendar reads a day): no arithmetic on the zone's offset, which a zone may change.
  let [lo, hi] = [now, now + 26 * 3_600_000];
  while (hi - lo > 1_000) {
    const mid = Math.floor((lo + hi) / 2);
    if (dateKey(localDate(DEFAULT_TIME_ZONE, new Date(mid))) === key) lo = mid;
    else hi = mid;
  }
  todayCache = { key, from: now, until: lo };
  return todayCache.key;
}

/** Full-width ASCII (typed in Chinese input mode) and the ideographic space, half-width; trimmed. */
const halfWidthTrimmed = (text: string): string =>
  text
    .replace(/[\uFF01-\uFF5E\u3000]/g, (ch) =>
      ch === '\u3000' ? ' ' : String.fromCharCode(ch.charCodeAt(0) - 0xfee0),
    )
    .trim();

/**
 * An invisible character in an id (a zero-width space pasted in with it, a byte order mark from an
 * export), named by code point and place: the id, masked or not, looks right on any screen.
 */
const invisibleHint = (id: string): string => {
  const note = invisibleNote(id);
  return note === null ? '' : `; ${note}`;
};

// Spaces (either width) and dashes between a number's groups, as forms and scans print it
// (`110105 19491231 002X`, `110105-19491231-002X`), as catalog/personal.ts reads such a number.
const GROUP_SEPARATORS = /[\s\u3000\-\uFF0D\u2010-\u2015]+/g;
const RESIDENT_ID_FORMS = /^(?:[0-9]{15}|[0-9]{17}[0-9Xx])$/;

/**
 * A resident ID number written in groups, joined (`110105 19491231 002X` → `11010519491231002X`);
 * any other text as it is, a passport number written in groups (`E 1234 5678`) among it.
 */
export function joinedResidentId(text: string): string {
  const joined = text.replace(GROUP_SEPARATORS, '');
  return joined !== text && RESIDENT_ID_FORMS.test(joined) ? joined : text;
}

/** How a resident ID failing the format check can be brought to it, for its reason. */
function residentIdFormatHint(id: string): string {
  const trimmed = halfWidthTrimmed(id);
  const legacy = trimmed.replace(/x$/, 'X');
  if (legacy !== id && /^(?:[0-9]{17}[0-9X]|[0-9]{15})$/.test(legacy))
    return 'written with a lowercase x, full-width characters or spaces, which the idNumber transform brings to this form';
  if (joinedResidentId(trimmed) !== trimmed)
    return 'written in groups (spaces or dashes between them), which the idNumber transform joins';
  return 'the idNumber transform upgrades 15-digit numbers';
}

function residentIdProblem(id: string, today: CheckDay | undefined): IdProblem | null {
  if (!/^[0-9]{17}[0-9X]$/.test(id)) {
    return {
      code: 'LB_HOLDER_ID_FORMAT',
      message: `resident id ${maskId(id)} fails the format check: expected 17 digits + check char 0-9 or X (GB 11643; ${residentIdFormatHint(id)})${invisibleHint(id)}`,
    };
  }
  const year = Number(id.slice(6, 10));
  const month = Number(id.slice(10, 12));
  const day = Number(id.slice(12, 14));
  // GB 11643: digits 7–14 are the birth date; no one alive was born before 1850 or in the future.
  if (
    !isCalendarDate(year, month, day) ||
    year < 1850 ||
    year * 10000 + month * 100 + day > todayKey(today)
  ) {
    return {
      code: 'LB_HOLDER_ID_DATE',
      message: `resident id ${maskId(id)} fails the date check: digits 7-14 are not a real birth date (yyyymmdd, 1850 to today; GB 11643)`,
    };
  }
  const check = residentIdCheckChar(id.slice(0, 17));
  if (check !== id.charAt(17)) {
    // The expected id is shown masked like the id itself: only its last char differs.
    return {
      code: 'LB_HOLDER_ID_CHECK',
      message: `resident id ${maskId(id)} fails the check-char check: expected ${maskId(id.slice(0, 17) + check)} (check char ${check}, GB 11643); a typing error in the source, or another person's number`,
    };
  }
  return null;
}

/** 18 chars, a real birth date from 1850 to today, and the GB 11643 check char. */
export function isValidResidentId(id: string, today?: CheckDay): boolean {
  return typeof id === 'string' && residentIdProblem(id, today) === null;
}

/** Upgrades a 15-digit (pre-1999) number: insert the century `19`, append the check char. */
export function upgradeResidentId15(id15: string): string {
  if (!/^[0-9]{15}$/.test(id15)) throw new RangeError('resident id: a 15-digit number is needed');
  const first17 = `${id15.slice(0, 6)}19${id15.slice(6)}`;
  return `${first17}${residentIdCheckChar(first17)}`;
}

/** Legacy forms to the 18-char form: trim, lowercase `x` → `X`, 15 digits → 18. Does not validate. */
export function normaliseResidentId(raw: string): string {
  const id = raw.trim().replace(/x$/, 'X');
  return /^[0-9]{15}$/.test(id) ? upgradeResidentId15(id) : id;
}

/**
 * Checks a holder id against its GB/T 36903 type: `111` → GB 11643, `001` → GB 32100, any other
 * type → non-empty. Returns null when the id passes. Messages mask the id.
 */
export function checkHolderId(idType: string, id: string, today?: CheckDay): IdProblem | null {
  if (typeof id !== 'string' || id.trim() === '') {
    return { code: 'LB_HOLDER_ID_EMPTY', message: 'holder id is empty' };
  }
  if (idType === '111') return residentIdProblem(id, today);
  if (idType === '001') {
    // The usual case first; the checks below only tell a wrong code's reason.
    if (isValidUscc(id)) return null;
    if (!/^[0-9A-Z]{18}$/.test(id)) {
      const legacy = isValidUscc(halfWidthTrimmed(id).toUpperCase())
        ? ', written in lower case, full-width characters or with spaces, which the trim, halfWidth and upper transforms bring to this form'
        : '';
      return {
        code: 'LB_HOLDER_ID_FORMAT',
        message: `credit code ${maskId(id)} fails the format check: expected 18 chars 0-9 A-Z (GB 32100)${legacy}${invisibleHint(id)}`,
      };
    }
    if (/[IOSVZ]/.test(id)) {
      return {
        code: 'LB_HOLDER_ID_FORMAT',
        message: `credit code ${maskId(id)} fails the format check: holds I, O, S, V or Z (GB 32100)`,
      };
    }
    if (!isValidUscc(id)) {
      const expected = usccCheckChar(id.slice(0, 17));
      return {
        code: 'LB_HOLDER_ID_CHECK',
        message: `credit code ${maskId(id)} fails the check-char check: expected ${maskId(id.slice(0, 17) + expected)} (check char ${expected}, GB 32100)`,
      };
    }
  }
  return null;
}

const RESIDENT_ID_SHAPE = /^[0-9]{17}[0-9X]$/;
const USCC_SHAPE = /^[0-9A-HJ-NPQRTUWXY]{18}$/;
const MISTYPED_CHECK_SHAPE = /^[0-9]{17}[A-HJ-NPQRTUWY]$/;

/**
 * Whether a 15-digit number can be a first-generation resident ID (GB 11643-1989): digits 7-12 are
 * its holder's birth date, yymmdd in the 1900s (upgradeResidentId15 inserts `19`).
 */
function residentId15Birth(id: string): boolean {
  const [yy, mm, dd] = [id.slice(6, 8), id.slice(8, 10), id.slice(10, 12)].map(Number) as [
    number,
    number,
    number,
  ];
  return isCalendarDate(1900 + yy, mm, dd);
}

/**
 * Whether a 15-digit number carries the check digit of a business registration number (工商注册号,
 * GS 15-2006): its last digit is the GB/T 17710 (ISO 7064) MOD 11,10 check of the first 14. Running
 * the hybrid system over all 15 digits leaves 1 exactly when the check digit is right.
 */
export function isValidRegistrationNumber15(id: string): boolean {
  if (!/^[0-9]{15}$/.test(id)) return false;
  let p = 10;
  let s = 0;
  for (let i = 0; i < 15; i++) {
    s = (p % 11) + Number(id.charAt(i));
    p = ((s % 10 || 10) * 2) % 11;
  }
  return s % 10 === 1;
}

export interface HolderIdShapeOptions {
  /**
   * The holder is declared an organisation (the types listed for it are organisations' only): a
   * 15-digit number is then its old business registration number, never a resident ID.
   */
  organisation?: boolean;
}

/**
 * The GB/T 36903 id type a holder id's shape names: `111` for a resident ID number (18 chars, or
 * 15 digits before their upgrade), `001` for a unified social credit code, `099` for a 15-digit
 * business registration number; null for none. A value passing both 18-char checks counts as a
 * resident ID: a person's number shown as a company's would leave personal data unmasked, while
 * the other way round only masks a public code (map the type from a column when the source has
 * one). A value failing its checks still gets the type of its shape, so the catalog names the
 * check that failed. 17 digits and a letter other than X failing GB 32100 have both shapes (a
 * person's number or a credit code, its check char mistyped) and count as a resident ID, masked
 * with its holder's name, unless the holder is declared an organisation (then `001`).
 *
 * 15 digits are also the length of the business registration number (工商注册号) organisations
 * held before the credit code, which stock licences still carry. Unless the holder is declared an
 * organisation (then `099`), such a number is `111` when its digits 7-12 are a real birth date
 * (also when it passes the registration check too, which one person's number in ten does), `099`
 * when they are no day and its last digit is the registration number's MOD 11,10 check, and null
 * when neither: a person's number with a mistyped birth date is never guessed an organisation's.
 */
export function holderIdTypeOfShape(
  id: string,
  today?: Date,
  options: HolderIdShapeOptions = {},
): '001' | '099' | '111' | null {
  if (/^[0-9]{15}$/.test(id)) {
    if (options.organisation) return '099';
    if (residentId15Birth(id)) return '111';
    return isValidRegistrationNumber15(id) ? '099' : null;
  }
  if (isValidResidentId(id, today)) return '111';
  if (isValidUscc(id)) return '001';
  if (RESIDENT_ID_SHAPE.test(id)) return '111';
  // 17 digits and another letter: a resident ID's check char mistyped as much as a credit code's.
  if (MISTYPED_CHECK_SHAPE.test(id) && !options.organisation) return '111';
  if (USCC_SHAPE.test(id)) return '001';
  return null;
}
