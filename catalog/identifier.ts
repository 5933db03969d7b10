/**
 * Electronic license identifier (电子证照标识, GB/T 36904-2018):
 * `1.2.156.3005.2.<type code>.<issuer code>.<serial>.<version>.<check>`.
 */

// Serials are derived in serial.ts; they are part of this module's API since identifiers began.
export { deriveSerial, serialForm } from './serial.js';

/** GB/T 36904: the fixed OID root every identifier starts with. */
export const IDENTIFIER_ROOT = '1.2.156.3005.2';

const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ';
/** Serial length licbridge derives: one province asks for exactly 20. */
export const SERIAL_LENGTH = 20;

const TYPE_CODE = /^[0-9A-Z]{18}[0-9]{3}$/;
const ISSUER_CODE = /^[0-9A-Z]{18}$/;

export interface IdentifierParts {
  /** 21 chars: the defining body's unified social credit code + a 3-digit sequence. */
  typeCode: string;
  /** 18-char unified social credit code of the issuing body. */
  issuerCode: string;
  serial: string;
  /** 1 for the first version; rendered as 3 digits. */
  version: number;
}

export type ParsedIdentifier =
  | {
      ok: true;
      typeCode: string;
      issuerCode: string;
      serial: string;
      version: number;
      check: string;
      /** The check only matches the vendor variant (A–Z → 11–36): accept with a warning. */
      legacyCheck: boolean;
    }
  | { ok: false; reason: string };

/** Value of a char under the standard mapping (0–9 → 0–9, A–Z → 10–35); -1 if not in the alphabet. */
function standardValue(ch: string): number {
  return ALPHABET.indexOf(ch);
}

/** Value under the vendor variant seen in issued identifiers: A–Z → 11–36. */
function vendorValue(ch: string): number {
  const v = ALPHABET.indexOf(ch);
  return v < 10 ? v : v + 1;
}

// Every license is checked (and most are identified) per row, so the hot paths below read char
// codes instead of running regexes, splitting or concatenating.
const isDigitCode = (c: number): boolean => c >= 48 && c <= 57;
const isAlnumCode = (c: number): boolean => (c >= 48 && c <= 57) || (c >= 65 && c <= 90);

/** True when text[from, to) is non-empty and all [0-9A-Z]. */
function alnumRun(text: string, from: number, to: number): boolean {
  if (to <= from) return false;
  for (let i = from; i < to; i++) if (!isAlnumCode(text.charCodeAt(i))) return false;
  return true;
}

// ISO/IEC 7064 MOD 37,36 as a table: NEXT[p·36 + v] is the product after a char of value v from
// product p (1–36). One load per char instead of two integer divisions, which made up most of
// the cost of checking an identifier. Built from the standard's own steps.
const NEXT = new Uint8Array(37 * 36);
for (let p = 1; p <= 36; p++) {
  for (let v = 0; v < 36; v++) {
    let s = (p + v) % 36;
    if (s === 0) s = 36;
    NEXT[p * 36 + v] = (2 * s) % 37;
  }
}
// Char code → standard value (0–9 → 0–9, A–Z → 10–35); only read for checked [0-9A-Z] text.
const VALUE = new Uint8Array(128);
for (let i = 0; i < ALPHABET.length; i++) VALUE[ALPHABET.charCodeAt(i)] = i;

/**
 * ISO/IEC 7064 MOD 37,36, continued: the running product after text[from, to), starting from `p`
 * (36 at the start of a body). Continuing lets a pipeline run the constant type+issuer prefix
 * once and only the serial and version per row. The text must be [0-9A-Z] (standard values).
 */
function continueMod3736(p: number, text: string, from = 0, to = text.length): number {
  let q = p;
  for (let i = from; i < to; i++) q = NEXT[q * 36 + (VALUE[text.charCodeAt(i)] as number)] as number;
  return q;
}

/** ISO/IEC 7064 MOD 37,36: the running product p after the whole body. */
function runMod3736(body: string, value: (ch: string) => number): number {
  if (value === standardValue) return continueMod3736(36, body);
  let p = 36;
  for (let i = 0; i < body.length; i++) {
    let s = (p + value(body.charAt(i))) % 36;
    if (s === 0) s = 36;
    p = (2 * s) % 37;
  }
  return p;
}

/** The check char that closes a body whose running product is p: (p + c) mod 36 = 1. */
const checkFor = (p: number): string => ALPHABET[(((1 - p) % 36) + 36) % 36] as string;

function assertBody(body: string): void {
  if (!alnumRun(body, 0, body.length)) {
    throw new RangeError(`identifier: check char needs [0-9A-Z] text without dots, got ${body.length} chars`);
  }
}

/**
 * GB/T 36904 check char: ISO/IEC 7064 MOD 37,36 over type+issuer+serial+version with the dots
 * removed and WITHOUT the root. The check c satisfies (p + c) mod 36 = 1.
 */
export function checkChar(body: string): string {
  assertBody(body);
  return checkFor(continueMod3736(36, body));
}

/** True when `check` matches only under the vendor variant (A–Z → 11–36) of the check computation. */
export function isLegacyCheck(body: string, check: string): boolean {
  assertBody(body);
  if (check.length !== 1 || standardValue(check) < 0) return false;
  const p = runMod3736(body, vendorValue);
  return (p + vendorValue(check)) % 36 === 1 && checkChar(body) !== check;
}

/** GB/T 36904: the version segment is 3 digits, so a license holds at most 999 versions. */
export const MAX_VERSION = 999;

function formatVersion(version: number): string {
  if (!Number.isInteger(version) || version < 1 || version > MAX_VERSION) {
    throw new RangeError(
      `identifier: version must be an integer from 1 to ${MAX_VERSION}, got ${String(version)}`,
    );
  }
  return version < 10 ? `00${version}` : version < 100 ? `0${version}` : String(version);
}

function assertCodes(typeCode: string, issuerCode: string): void {
  if (!TYPE_CODE.test(typeCode)) {
    throw new RangeError(`identifier: type code must be 18 [0-9A-Z] chars + 3 digits, got ${typeCode}`);
  }
  if (!ISSUER_CODE.test(issuerCode)) {
    throw new RangeError(`identifier: issuer code must be 18 [0-9A-Z] chars, got ${issuerCode}`);
  }
}

function assertSerial(serial: string): void {
  if (serial.length > 32 || !alnumRun(serial, 0, serial.length)) {
    throw new RangeError(`identifier: serial must be 1-32 [0-9A-Z] chars, got ${serial.length} chars`);
  }
}

/** Identifiers of one license type and issuer: the prefix and its check state are computed once. */
export interface IdentifierBuilder {
  /** The full identifier of one version, check char included. Throws RangeError on a bad serial or version. */
  identifier(serial: string, version: number): string;
  /** The stable license id (root.type.issuer.serial). Throws RangeError on a bad serial. */
  licenseId(serial: string): string;
}

/**
 * One builder per pipeline: type and issuer are fixed, so the root-type-issuer prefix and the
 * MOD 37,36 state after type+issuer (the check runs left to right) are computed here once and a
 * row only pays for its serial and version. Gives exactly what buildIdentifier/licenseIdOf give.
 */
export function identifierBuilder(typeCode: string, issuerCode: string): IdentifierBuilder {
  assertCodes(typeCode, issuerCode);
  const prefix = `${IDENTIFIER_ROOT}.${typeCode}.${issuerCode}.`;
  const afterCodes = continueMod3736(continueMod3736(36, typeCode), issuerCode);
  return {
    identifier(serial, version) {
      assertSerial(serial);
      const v = formatVersion(version);
      const p = continueMod3736(continueMod3736(afterCodes, serial), v);
      return `${prefix}${serial}.${v}.${checkFor(p)}`;
    },
    licenseId(serial) {
      assertSerial(serial);
      return `${prefix}${serial}`;
    },
  };
}

/** Builds the full identifier of one version, check char included. */
export function buildIdentifier(parts: IdentifierParts): string {
  return identifierBuilder(parts.typeCode, parts.issuerCode).identifier(parts.serial, parts.version);
}

/** The stable license id: root.type.issuer.serial — the same for every version of one license. */
export function licenseIdOf(parts: Omit<IdentifierParts, 'version'>): string {
  assertCodes(parts.typeCode, parts.issuerCode);
  assertSerial(parts.serial);
  return `${IDENTIFIER_ROOT}.${parts.typeCode}.${parts.issuerCode}.${parts.serial}`;
}

const PREFIX = `${IDENTIFIER_ROOT}.`;

// Dot positions found by the last scan (type|issuer, issuer|serial, serial|version,
// version|check): module scratch, so checking an identifier allocates nothing.
const dots = new Int32Array(4);

/**
 * Checks an identifier's shape and check char without allocating: undefined when it is valid
 * (standard check char), `legacy` when only the vendor variant's check matches, else the reason.
 * Leaves the dot positions in `dots`.
 */
function scanIdentifier(text: string): string | undefined {
  if (typeof text !== 'string') return 'identifier is not text';
  if (!text.startsWith(PREFIX)) return `identifier does not start with ${IDENTIFIER_ROOT}`;
  const t0 = PREFIX.length;
  let at = t0 - 1;
  for (let i = 0; i < 4; i++) {
    at = text.indexOf('.', at + 1);
    if (at < 0) break;
    dots[i] = at;
  }
  if (at < 0 || text.indexOf('.', at + 1) >= 0) {
    return `identifier needs 5 segments after the root, got ${text.slice(t0).split('.').length}`;
  }
  const t1 = dots[0] as number;
  const i1 = dots[1] as number;
  const s1 = dots[2] as number;
  const v1 = dots[3] as number;
  if (
    t1 - t0 !== 21 ||
    !alnumRun(text, t0, t0 + 18) ||
    !isDigitCode(text.charCodeAt(t0 + 18)) ||
    !isDigitCode(text.charCodeAt(t0 + 19)) ||
    !isDigitCode(text.charCodeAt(t0 + 20))
  )
    return 'type code is not 18 [0-9A-Z] chars + 3 digits';
  if (i1 - t1 - 1 !== 18 || !alnumRun(text, t1 + 1, i1)) return 'issuer code is not 18 [0-9A-Z] chars';
  if (s1 - i1 - 1 > 32 || !alnumRun(text, i1 + 1, s1)) return 'serial is not 1-32 [0-9A-Z] chars';
  if (
    v1 - s1 - 1 !== 3 ||
    !isDigitCode(text.charCodeAt(s1 + 1)) ||
    !isDigitCode(text.charCodeAt(s1 + 2)) ||
    !isDigitCode(text.charCodeAt(s1 + 3)) ||
    text.startsWith('000', s1 + 1)
  )
    return 'version is not 3 digits from 001';
  if (text.length - v1 - 1 !== 1 || !isAlnumCode(text.charCodeAt(v1 + 1)))
    return 'check is not one [0-9A-Z] char';
  // The body is every char between the root and the check, dots skipped: run the segments in turn.
  let p = continueMod3736(36, text, t0, t1);
  p = continueMod3736(p, text, t1 + 1, i1);
  p = continueMod3736(p, text, i1 + 1, s1);
  p = continueMod3736(p, text, s1 + 1, v1);
  const check = text.charAt(v1 + 1);
  const expected = checkFor(p);
  if (check === expected) return undefined;
  const body = `${text.slice(t0, t1)}${text.slice(t1 + 1, i1)}${text.slice(i1 + 1, s1)}${text.slice(s1 + 1, v1)}`;
  if (isLegacyCheck(body, check)) return 'legacy';
  return `check char is ${check}, expected ${expected} (GB/T 36904, ISO/IEC 7064 MOD 37,36)`;
}

/**
 * True when the identifier parses and checks, the vendor variant's check char included (a
 * warning, not a rejection). The same answer as `parseIdentifier(text).ok`, without building it.
 */
export function isIdentifier(text: string): boolean {
  const problem = scanIdentifier(text);
  return problem === undefined || problem === 'legacy';
}

/** Parses and checks an identifier. Never throws. */
export function parseIdentifier(text: string): ParsedIdentifier {
  const problem = scanIdentifier(text);
  if (problem !== undefined && problem !== 'legacy') return { ok: false, reason: problem };
  const [t1, i1, s1, v1] = dots as unknown as [number, number, number, number];
  return {
    ok: true,
    typeCode: text.slice(PREFIX.length, t1),
    issuerCode: text.slice(t1 + 1, i1),
    serial: text.slice(i1 + 1, s1),
    version: Number(text.slice(s1 + 1, v1)),
    check: text.charAt(v1 + 1),
    legacyCheck: problem === 'legacy',
  };
}
