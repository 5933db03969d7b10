/**
 * Serials of GB/T 36904 identifiers, derived deterministically from a pipeline name and a row's
 * source key, so re-runs and other machines give the same identifier (docs/catalog.md, Serials).
 */
import { sm3Bytes } from './sm3.js';

const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ';

/** True when the text is non-empty and all [0-9A-Z]. */
function isAlnum(text: string): boolean {
  if (text.length === 0) return false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (!((c >= 48 && c <= 57) || (c >= 65 && c <= 90))) return false;
  }
  return true;
}

// Serial forms (the first char says which): `K` keyed (injective), `H` hashed.
const KEYED_MODULUS = 36n ** 12n;
/** Count of [0-9A-Z] texts of length 1–11: the keyed index of the first 12–18-digit decimal key. */
const SHORT_KEYS = (36n ** 12n - 36n) / 35n;
const LONG_DECIMAL_KEY = /^[1-9][0-9]{11,17}$/;

function digestInteger(text: string, bytes = 32): bigint {
  const digest = sm3Bytes(text);
  let n = 0n;
  for (let i = 0; i < bytes; i++) n = (n << 8n) | BigInt(digest[i] as number);
  return n;
}

const base36 = (n: bigint, width: number): string => n.toString(36).toUpperCase().padStart(width, '0');

/**
 * Index of a 12–18-digit canonical decimal key in the keyed domain (it follows the 1–11-char
 * [0-9A-Z] keys, numbered length by length so `7` and `007` differ), or undefined when the key
 * is outside the domain. The largest index is below 36^12, so it fits 12 base-36 chars.
 */
function longDecimalIndex(key: string): bigint | undefined {
  return LONG_DECIMAL_KEY.test(key) ? SHORT_KEYS + BigInt(key) : undefined;
}

// The affine map of a short key, in plain numbers instead of BigInt (the usual key is an integer
// id, and BigInt allocates per operation): values below 36^12 are held as four limbs of base
// 36^3 = 46,656, least significant first. A limb product is below 2^32 and a sum of four of them
// (plus b) below 2^53, so every step is exact; the result is the same as the BigInt form's.
const LIMB = 46_656;
type Limbs = [number, number, number, number];

function toLimbs(n: bigint): Limbs {
  const out: Limbs = [0, 0, 0, 0];
  let rest = n;
  for (let i = 0; i < 4; i++) {
    out[i] = Number(rest % BigInt(LIMB));
    rest /= BigInt(LIMB);
  }
  return out;
}

/** Index of the first key of each length 0–11: (36^len − 36) / 35, as limbs. */
const LENGTH_OFFSETS: readonly Limbs[] = Array.from({ length: 12 }, (_, len) =>
  toLimbs(len === 0 ? 0n : (36n ** BigInt(len) - 36n) / 35n),
);

/** Value of a [0-9A-Z] char code: 0–9 → 0–9, A–Z → 10–35. */
const codeValue = (c: number): number => (c <= 57 ? c - 48 : c - 55);

/** The 12-char keyed body of a short key (1–11 chars [0-9A-Z], already checked). */
function keyedBody(key: string, a: Limbs, b: Limbs): string {
  const offset = LENGTH_OFFSETS[key.length] as Limbs;
  // The key read as a base-36 number: every 3 chars from the right make one limb.
  const x: Limbs = [0, 0, 0, 0];
  let carry = 0;
  for (let limb = 0; limb < 4; limb++) {
    const end = key.length - 3 * limb;
    let v = 0;
    for (let i = Math.max(0, end - 3); i < end; i++) v = v * 36 + codeValue(key.charCodeAt(i));
    const sum = v + (offset[limb] as number) + carry;
    x[limb] = sum % LIMB;
    carry = Math.floor(sum / LIMB);
  }
  let body = '';
  let acc = 0;
  const y: Limbs = [0, 0, 0, 0];
  for (let k = 0; k < 4; k++) {
    acc += b[k] as number;
    for (let i = 0; i <= k; i++) acc += (a[i] as number) * (x[k - i] as number);
    y[k] = acc % LIMB;
    acc = Math.floor(acc / LIMB);
  }
  // mod 36^12: the carry out of the top limb is dropped. Most significant limb first.
  for (let k = 3; k >= 0; k--) {
    const v = y[k] as number;
    body += `${ALPHABET[Math.floor(v / 1296)]}${ALPHABET[Math.floor(v / 36) % 36]}${ALPHABET[v % 36]}`;
  }
  return body;
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
  const params = keyedParams(namespace);
  if (sourceKey.length <= 11 && isAlnum(sourceKey)) {
    return `K${params.tag}${keyedBody(sourceKey, params.aLimbs, params.bLimbs)}`;
  }
  const index = longDecimalIndex(sourceKey);
  if (index === undefined) {
    const n = digestInteger(`${namespace}\u0000${sourceKey}`) % 36n ** 19n;
    return `H${base36(n, 19)}`;
  }
  return `K${params.tag}${base36((params.a * index + params.b) % KEYED_MODULUS, 12)}`;
}

interface KeyedParams {
  a: bigint;
  b: bigint;
  aLimbs: Limbs;
  bLimbs: Limbs;
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
  const a = raw - (raw % 6n) + 1n;
  const b = (seed >> 32n) % KEYED_MODULUS;
  const params = {
    a,
    b,
    aLimbs: toLimbs(a),
    bLimbs: toLimbs(b),
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
