/**
 * Electronic license identifier (电子证照标识, GB/T 36904-2018):
 * `1.2.156.3005.2.<type code>.<issuer code>.<serial>.<version>.<check>`.
 */
import { sm3Bytes } from './sm3.js';

/** GB/T 36904: the fixed OID root every identifier starts with. */
export const IDENTIFIER_ROOT = '1.2.156.3005.2';

const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ';
/** Serial length licbridge derives: one province asks for exactly 20; 20 base-36 chars ≈ 103 bits. */
export const SERIAL_LENGTH = 20;

const TYPE_CODE = /^[0-9A-Z]{18}[0-9]{3}$/;
const ISSUER_CODE = /^[0-9A-Z]{18}$/;
// GB/T 36904 leaves the serial's length to the issuer; 7–32 chars are seen in the field.
const SERIAL = /^[0-9A-Z]{1,32}$/;
const VERSION = /^[0-9]{3}$/;

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

/** ISO/IEC 7064 MOD 37,36: the running product p after the whole body. */
function runMod3736(body: string, value: (ch: string) => number): number {
  let p = 36;
  for (const ch of body) {
    let s = (p + value(ch)) % 36;
    if (s === 0) s = 36;
    p = (2 * s) % 37;
  }
  return p;
}

function assertBody(body: string): void {
  if (!/^[0-9A-Z]+$/.test(body)) {
    throw new RangeError(`identifier: check char needs [0-9A-Z] text without dots, got ${body.length} chars`);
  }
}

/**
 * GB/T 36904 check char: ISO/IEC 7064 MOD 37,36 over type+issuer+serial+version with the dots
 * removed and WITHOUT the root. The check c satisfies (p + c) mod 36 = 1.
 */
export function checkChar(body: string): string {
  assertBody(body);
  const p = runMod3736(body, standardValue);
  const c = (((1 - p) % 36) + 36) % 36;
  return ALPHABET[c] as string;
}

/** True when `check` matches only under the vendor variant (A–Z → 11–36) of the check computation. */
export function isLegacyCheck(body: string, check: string): boolean {
  assertBody(body);
  if (check.length !== 1 || standardValue(check) < 0) return false;
  const p = runMod3736(body, vendorValue);
  return (p + vendorValue(check)) % 36 === 1 && checkChar(body) !== check;
}

function formatVersion(version: number): string {
  if (!Number.isInteger(version) || version < 1 || version > 999) {
    throw new RangeError(`identifier: version must be an integer from 1 to 999, got ${String(version)}`);
  }
  return String(version).padStart(3, '0');
}

function assertParts(parts: Omit<IdentifierParts, 'version'>): void {
  if (!TYPE_CODE.test(parts.typeCode)) {
    throw new RangeError(`identifier: type code must be 18 [0-9A-Z] chars + 3 digits, got ${parts.typeCode}`);
  }
  if (!ISSUER_CODE.test(parts.issuerCode)) {
    throw new RangeError(`identifier: issuer code must be 18 [0-9A-Z] chars, got ${parts.issuerCode}`);
  }
  if (!SERIAL.test(parts.serial)) {
    throw new RangeError(`identifier: serial must be 1-32 [0-9A-Z] chars, got ${parts.serial.length} chars`);
  }
}

/** Builds the full identifier of one version, check char included. */
export function buildIdentifier(parts: IdentifierParts): string {
  assertParts(parts);
  const version = formatVersion(parts.version);
  const check = checkChar(`${parts.typeCode}${parts.issuerCode}${parts.serial}${version}`);
  return `${IDENTIFIER_ROOT}.${parts.typeCode}.${parts.issuerCode}.${parts.serial}.${version}.${check}`;
}

/** The stable license id: root.type.issuer.serial — the same for every version of one license. */
export function licenseIdOf(parts: Omit<IdentifierParts, 'version'>): string {
  assertParts(parts);
  return `${IDENTIFIER_ROOT}.${parts.typeCode}.${parts.issuerCode}.${parts.serial}`;
}

/** Parses and checks an identifier. Never throws. */
export function parseIdentifier(text: string): ParsedIdentifier {
  if (typeof text !== 'string') return { ok: false, reason: 'identifier is not text' };
  const prefix = `${IDENTIFIER_ROOT}.`;
  if (!text.startsWith(prefix))
    return { ok: false, reason: `identifier does not start with ${IDENTIFIER_ROOT}` };
  const parts = text.slice(prefix.length).split('.');
  if (parts.length !== 5) {
    return { ok: false, reason: `identifier needs 5 segments after the root, got ${parts.length}` };
  }
  const [typeCode, issuerCode, serial, version, check] = parts as [string, string, string, string, string];
  if (!TYPE_CODE.test(typeCode))
    return { ok: false, reason: 'type code is not 18 [0-9A-Z] chars + 3 digits' };
  if (!ISSUER_CODE.test(issuerCode)) return { ok: false, reason: 'issuer code is not 18 [0-9A-Z] chars' };
  if (!SERIAL.test(serial)) return { ok: false, reason: 'serial is not 1-32 [0-9A-Z] chars' };
  if (!VERSION.test(version) || version === '000')
    return { ok: false, reason: 'version is not 3 digits from 001' };
  if (!/^[0-9A-Z]$/.test(check)) return { ok: false, reason: 'check is not one [0-9A-Z] char' };
  const body = `${typeCode}${issuerCode}${serial}${version}`;
  const expected = checkChar(body);
  let legacyCheck = false;
  if (check !== expected) {
    if (!isLegacyCheck(body, check)) {
      return {
        ok: false,
        reason: `check char is ${check}, expected ${expected} (GB/T 36904, ISO/IEC 7064 MOD 37,36)`,
      };
    }
    legacyCheck = true;
  }
  return { ok: true, typeCode, issuerCode, serial, version: Number(version), check, legacyCheck };
}

/**
 * Deterministic serial from the source key: SM3(namespace ‖ NUL ‖ key), read as a big-endian
 * integer, reduced mod 36^20 and written as 20 base-36 chars [0-9A-Z]. Only SM3 and integer
 * arithmetic are involved, so every machine and every re-run derives the same serial.
 *
 * Collision bound: 36^20 ≈ 2^103.4 serials, so among n licenses of one type and issuer the chance
 * of any collision is about n² / 2^104.4 (≈ 5·10⁻¹⁴ for a billion). The ledger's unique
 * constraint on the identifier turns a collision into an error, never a silent merge of two
 * licenses. NUL separates the parts so (`a`, `bc`) and (`ab`, `c`) never meet.
 */
export function deriveSerial(namespace: string, sourceKey: string): string {
  const digest = sm3Bytes(`${namespace}\u0000${sourceKey}`);
  let n = 0n;
  for (const byte of digest) n = (n << 8n) | BigInt(byte);
  n %= 36n ** BigInt(SERIAL_LENGTH);
  return n.toString(36).toUpperCase().padStart(SERIAL_LENGTH, '0');
}
