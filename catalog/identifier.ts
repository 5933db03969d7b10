/**
 * Electronic license identifier (电子证照标识, GB/T 36904-2018):
 * `1.2.156.3005.2.<type code>.<issuer code>.<serial>.<version>.<check>`.
 */
import { sm3Bytes } from './sm3.js';

/** GB/T 36904: the fixed OID root every identifier starts with. */
export const IDENTIFIER_ROOT = '1.2.156.3005.2';

const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ';
/** Serial length licbridge derives: one province asks for exactly 20. */
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
  // Hot path (every license is checked): char codes, no iterator, for the standard mapping.
  const standard = value === standardValue;
  for (let i = 0; i < body.length; i++) {
    const c = body.charCodeAt(i);
    const v = standard ? (c <= 57 ? c - 48 : c - 55) : value(body.charAt(i));
    let s = (p + v) % 36;
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

// Serial forms (the first char says which): `K` keyed (injective), `H` hashed.
const KEYED_MODULUS = 36n ** 12n;
/** Count of [0-9A-Z] texts of length 1–11: the keyed index of the first 12–18-digit decimal key. */
const SHORT_KEYS = (36n ** 12n - 36n) / 35n;
const SHORT_KEY = /^[0-9A-Z]{1,11}$/;
const LONG_DECIMAL_KEY = /^[1-9][0-9]{11,17}$/;

function digestInteger(text: string, bytes = 32): bigint {
  const digest = sm3Bytes(text);
  let n = 0n;
  for (let i = 0; i < bytes; i++) n = (n << 8n) | BigInt(digest[i] as number);
  return n;
}

const base36 = (n: bigint, width: number): string => n.toString(36).toUpperCase().padStart(width, '0');

/**
 * Index of a key in the keyed domain, or undefined when the key is outside it. Texts of 1–11
 * chars [0-9A-Z] are numbered length by length (so `7` and `007` differ); canonical decimals of
 * 12–18 digits follow them. The largest index is below 36^12, so it fits 12 base-36 chars.
 */
function keyedIndex(key: string): bigint | undefined {
  if (SHORT_KEY.test(key)) {
    let value = 0n;
    for (const ch of key) value = value * 36n + BigInt(ALPHABET.indexOf(ch));
    return (36n ** BigInt(key.length) - 36n) / 35n + value;
  }
  if (LONG_DECIMAL_KEY.test(key)) return SHORT_KEYS + BigInt(key);
  return undefined;
}

/**
 * Deterministic serial from the source key, 20 chars [0-9A-Z], in one of two forms:
 *
 * - `K` + 7-char namespace tag + 12-char body, when the key is 1–11 chars of [0-9A-Z] (the
 *   usual legacy integer or code key) or a 12–18-digit decimal. The body is the key's index
 *   under an affine bijection x → (a·x + b) mod 36^12 whose a (coprime to 36^12) and b come from
 *   SM3 of the namespace. This is INJECTIVE: two distinct keys of one pipeline never share a
 *   serial. The key is not written verbatim (a phone number used as a key does not show in the
 *   identifier), but the scramble is not a secret: anyone who knows the pipeline name can undo it.
 * - `H` + 19 chars of SM3(namespace ‖ NUL ‖ key) mod 36^19, for every other key (UUIDs,
 *   composite keys, lowercase codes). Collisions are not excluded but bounded: among n such keys
 *   the chance of any is about n² / 2^99.4 (≈ 2·10⁻¹² for a billion). NUL keeps (`a`, `bc`) and
 *   (`ab`, `c`) apart.
 *
 * The two forms never meet (first char). Across two pipelines of one type and issuer, keyed
 * serials meet only when the 7-char tags do (36^7 ≈ 2^36 values). The ledger's unique
 * constraint on the identifier turns any collision into an error, never a silent merge. Only
 * SM3 and integer arithmetic are involved, so every machine and every re-run derive the same
 * serial. The namespace is the pipeline name: renaming a pipeline renames its licenses.
 */
export function deriveSerial(namespace: string, sourceKey: string): string {
  const index = keyedIndex(sourceKey);
  if (index === undefined) {
    const n = digestInteger(`${namespace}\u0000${sourceKey}`) % 36n ** 19n;
    return `H${base36(n, 19)}`;
  }
  const { a, b, tag } = keyedParams(namespace);
  return `K${tag}${base36((a * index + b) % KEYED_MODULUS, 12)}`;
}

interface KeyedParams {
  a: bigint;
  b: bigint;
  tag: string;
}

// Per namespace (pipeline), computed once: a handful of entries per process.
const keyedParamsCache = new Map<string, KeyedParams>();

function keyedParams(namespace: string): KeyedParams {
  const cached = keyedParamsCache.get(namespace);
  if (cached) return cached;
  const seed = digestInteger(`licbridge-serial\u0000${namespace}`);
  // a ≡ 1 (mod 6): odd and not a multiple of 3, so coprime to 36^12 = 2^24·3^12 — a bijection.
  const raw = (seed >> 96n) % KEYED_MODULUS;
  const params = {
    a: raw - (raw % 6n) + 1n,
    b: (seed >> 32n) % KEYED_MODULUS,
    tag: base36(digestInteger(`licbridge-serial-tag\u0000${namespace}`) % 36n ** 7n, 7),
  };
  if (keyedParamsCache.size > 1000) keyedParamsCache.clear();
  keyedParamsCache.set(namespace, params);
  return params;
}

/** Which form a derived serial has: `keyed` (injective), `hashed`, or `other` (not derived here). */
export function serialForm(serial: string): 'keyed' | 'hashed' | 'other' {
  if (/^K[0-9A-Z]{19}$/.test(serial)) return 'keyed';
  if (/^H[0-9A-Z]{19}$/.test(serial)) return 'hashed';
  return 'other';
}
