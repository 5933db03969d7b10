/**
 * A province platform entry read back into the canonical `License` (the inverse of
 * shared/platform-license.ts) and the record reconciliation compares (lookup.ts): its fields,
 * codes and dates as the platform writes them, numbers included (a platform whose fields are
 * integers), mapped through the target's code lists.
 */
import { contentHash } from '../../../catalog/canonical.js';
import { parseIdentifier } from '../../../catalog/identifier.js';
import type { License, LicenseStatus } from '../../../catalog/license.js';
import { type CodeLists, NATIONAL_CODES } from '../shared/code-lists.js';
import { idText } from '../shared/exact-ids.js';
import type { PlatformRecord } from '../target.js';
import { UNREADABLE_REASONS, type UnreadableReason } from '../unreadable-reasons.js';

/**
 * The license a record continues, from its `yzzbs`: a renewal's, change's or transfer's
 * predecessor is another license (`previousIdentifier`, part of the content). A `yzzbs` naming an
 * earlier version of the record's own license only says which version a change replaces
 * (shared/platform-license.ts `predecessorOf`) and is no part of the license.
 */
function continued(yzzbs: unknown, zzbs: unknown): string | undefined {
  if (typeof yzzbs !== 'string' || yzzbs === '') return undefined;
  const previous = parseIdentifier(yzzbs);
  const own = parseIdentifier(String(zzbs));
  if (
    previous.ok &&
    own.ok &&
    previous.serial === own.serial &&
    previous.typeCode === own.typeCode &&
    previous.issuerCode === own.issuerCode
  ) {
    return undefined;
  }
  return yzzbs;
}

/**
 * `YYYYMMDD` → `YYYY-MM-DD`, written as text or, by a platform storing dates as integers, as a
 * number (`20240301`: read as its text, every license differed at every check); anything else is
 * kept so it shows as a difference.
 */
function isoDate(value: unknown): unknown {
  const text = typeof value === 'number' && Number.isSafeInteger(value) ? String(value) : value;
  return typeof text === 'string' && /^\d{8}$/.test(text)
    ? `${text.slice(0, 4)}-${text.slice(4, 6)}-${text.slice(6, 8)}`
    : value;
}

function invert(list: Readonly<Record<string, string>>): Map<string, string> {
  return new Map(Object.entries(list).map(([k, v]) => [v, k]));
}

/**
 * The canonical name of the platform's code `value` in `list` (canonical name → platform code).
 * A platform whose field is an integer answers the code as a JSON number (`"zzzt": 1` for `01`):
 * read as the text `1`, no code of the list, every valid license came back `other`, a
 * `status-drift` at every check. A number is the code its digits are, else the one code of the
 * list of its value; a value two codes have (`01` and `001`) or none is no code: undefined.
 */
function canonicalOf(list: Readonly<Record<string, string>>, value: unknown): string | undefined {
  const byCode = invert(list);
  const exact = byCode.get(String(value));
  if (exact !== undefined || typeof value !== 'number' || !Number.isSafeInteger(value)) return exact;
  const same = [...byCode.keys()].filter((c) => /^\d{1,15}$/.test(c) && Number(c) === value);
  return same.length === 1 && same[0] !== undefined ? byCode.get(same[0]) : undefined;
}

/**
 * The GB/T 36903 holder id type of the platform's `czztdmlx`: through the target's own codes
 * (`codes.holderIdType`, GB/T code → the platform's), else as given. A number (a platform whose
 * field is an integer) is read as {@link canonicalOf} reads one, else as the three digits every
 * code of annex A has: `1` read as the text `1`, every license of a business (`001`) differed from
 * the ledger's at every check.
 */
function holderIdTypeOf(list: Readonly<Record<string, string>>, value: unknown): string {
  const own = canonicalOf(list, value);
  if (own !== undefined) return own;
  const threeDigits = typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= 999;
  return threeDigits ? String(value).padStart(3, '0') : String(value);
}

/**
 * The fields of a platform license that hold identifiers: a platform whose columns for them are
 * numeric (a holder's ID number in a BIGINT or NUMBER(18), a license number or an issuer's code of
 * digits only) answers them as JSON integers, and `JSON.parse` rounds one past 2^53 to another
 * number (`370211199001011234` read as `370211199001011260`): another holder's ID number, a
 * content mismatch at every check. Answers are read keeping their digits (../shared/exact-ids.ts).
 */
export const LICENSE_ID_FIELDS: readonly string[] = [
  'zzbs',
  'yzzbs',
  'zzbh',
  'zzlxdm',
  'zzbfjgdm',
  'xzqhdm',
  'czztdm',
];

/**
 * An entry's `version` as a number: a JSON number, or its decimal digits as text (`"2"`), which a
 * platform or gateway with string-typed result fields sends, as it sends a result `code`
 * (../shared/answer-code.ts). Read only as a number, every entry of such a platform was unreadable
 * ('its version is not a number') and no license of it was compared. Leading zeros are the same
 * number (`"002"`, a fixed-width `CHAR` column); anything else written as text is no version, as
 * the platform sends it: full-width digits (typed, not serialised), a sign, a decimal point, an
 * exponent, white space. Either way a version is a whole number from 1 that a number holds exactly
 * (versions are numbered from 1, the last part of a GB/T 36904 identifier): `2.5`, `-1` or `0`,
 * taken as they came, were compared as versions the platform held. `undefined` for those.
 */
export function versionOf(value: unknown): number | undefined {
  return versionProblem(value) === undefined ? Number(value) : undefined;
}

/**
 * Why `value` is no version ({@link versionOf}), named by its shape, never its value; `undefined`
 * for a version. Text is named by the number it writes as that number is (`"2.5"` a fraction as
 * 2.5 is, `"-1"` negative, `"0"` zero): named 'not a number', the report could not tell a platform
 * numbering versions as decimals or from -1 from one answering a word.
 */
export function versionProblem(value: unknown): UnreadableReason | undefined {
  if (typeof value === 'string') return versionTextProblem(value);
  if (typeof value !== 'number') return UNREADABLE_REASONS.versionNotNumber;
  if (value < 0) return UNREADABLE_REASONS.versionNegative;
  if (!Number.isInteger(value)) return UNREADABLE_REASONS.versionFraction;
  if (value === 0) return UNREADABLE_REASONS.versionZero;
  if (!Number.isSafeInteger(value)) return UNREADABLE_REASONS.versionTooLarge;
  return undefined;
}

/** ASCII decimal text: a sign, digits, a decimal point and digits, at least one digit in all. */
const DECIMAL_TEXT = /^([+-]?)(?=\.?[0-9])([0-9]*)(?:\.([0-9]*))?$/;

/**
 * {@link versionProblem} of text, asked in the order a number is asked. Read from its digits, not
 * through `Number` (which rounds `"9007199254740993.5"` to a whole number): `"-0"` and `"0.0"` are
 * zero as -0 and 0.0 are. A whole number from 1 is a version written only in digits; with a sign or
 * a decimal point (`"+2"`, `"2.0"`) it is not one, and named so. White space, an exponent, full-width
 * digits: not a number.
 */
function versionTextProblem(text: string): UnreadableReason | undefined {
  const m = DECIMAL_TEXT.exec(text);
  if (!m) return UNREADABLE_REASONS.versionNotNumber;
  const [, sign, whole = '', fraction = ''] = m;
  const nonZero = /[1-9]/.test(whole + fraction);
  if (sign === '-' && nonZero) return UNREADABLE_REASONS.versionNegative;
  if (/[1-9]/.test(fraction)) return UNREADABLE_REASONS.versionFraction;
  if (!nonZero) return UNREADABLE_REASONS.versionZero;
  if (!Number.isSafeInteger(Number(whole))) return UNREADABLE_REASONS.versionTooLarge;
  if (text !== whole) return UNREADABLE_REASONS.versionSignedOrPointed;
  return undefined;
}

/** A record whose platform answer held the license (every record the REST platform returns), for adopting unknown ones. */
export type PlatformRecordWithLicense = PlatformRecord & { license: License };

/** One stored platform entry (`{ key, licenseId, version, platformId, license: {zzbs, …} }`) → record. */
export function fromPlatformEntry(
  entry: unknown,
  codes: CodeLists = NATIONAL_CODES,
): PlatformRecordWithLicense | undefined {
  if (typeof entry !== 'object' || entry === null) return undefined;
  const e = entry as Record<string, unknown>;
  const version = versionOf(e.version);
  if (typeof e.licenseId !== 'string' || version === undefined) return undefined;
  const license = licenseFromPlatformEntry(entry, codes);
  if (!license) return undefined;
  let hash: string | undefined;
  try {
    hash = contentHash(license);
  } catch {
    hash = undefined;
  }
  return {
    licenseId: e.licenseId,
    identifier: license.identifier,
    version,
    status: license.status,
    platformId: idText(e.platformId),
    ...(typeof e.key === 'string' ? { key: e.key } : {}),
    ...(hash ? { contentHash: hash } : {}),
    license,
  };
}

/** The canonical license a platform record holds, for adopting a license unknown to the ledger. */
export function licenseFromPlatformEntry(
  entry: unknown,
  codes: CodeLists = NATIONAL_CODES,
): License | undefined {
  if (typeof entry !== 'object' || entry === null) return undefined;
  const f = ((entry as Record<string, unknown>).license ?? {}) as Record<string, unknown>;
  const previousIdentifier = continued(f.yzzbs, f.zzbs);
  return {
    ...(previousIdentifier === undefined ? {} : { previousIdentifier }),
    identifier: String(f.zzbs),
    number: String(f.zzbh),
    type: { name: String(f.zzlxmc), code: String(f.zzlxdm) },
    issuer: { name: String(f.zzbfjg), code: String(f.zzbfjgdm) },
    issueDate: String(isoDate(f.zzbfrq)),
    validFrom: String(isoDate(f.yxqqsrq)),
    // Sent empty for a long-term license; a platform on Java beans answers it `null` or leaves it
    // out. Read as the date `null`, every long-term license was a platform-content-mismatch.
    validTo:
      f.yxqjzrq === '' || f.yxqjzrq === null || f.yxqjzrq === undefined ? null : String(isoDate(f.yxqjzrq)),
    areaCode: String(f.xzqhdm),
    holder: {
      name: String(f.czzt),
      idType: holderIdTypeOf(codes.holderIdType, f.czztdmlx),
      id: String(f.czztdm),
    },
    status: (canonicalOf(codes.status, f.zzzt) ?? 'other') as LicenseStatus,
    surface: (f.zmxx ?? {}) as Record<string, unknown>,
  };
}
