/**
 * The canonical serialisation of a license: RFC 8785 JSON Canonicalization Scheme (JCS). These
 * bytes are exactly what the seal signs, so any two machines must produce the same ones.
 */
import canonicalizeModule from 'canonicalize';
import type { License } from './license.js';
import { sm3Hex } from './sm3.js';

type Serialize = (input: unknown) => string | undefined;
// The package is CommonJS (`module.exports = fn`) but its typings declare an ES default export;
// under NodeNext the import is the function itself, under a bundler's interop it may sit on `.default`.
const canonicalize: Serialize =
  typeof canonicalizeModule === 'function'
    ? (canonicalizeModule as Serialize)
    : (canonicalizeModule as { default: Serialize }).default;

/**
 * RFC 8785 serialisation, the same rules as the `canonicalize` package (the reference, kept for
 * tests): keys sorted by UTF-16 code units, strings and numbers as ES JSON.stringify writes them,
 * NaN and Infinity rejected, undefined members dropped, toJSON honoured. Written as loops: every
 * license version is hashed, and the reference's reduce-and-template form is ~2× slower.
 */
function serialise(value: unknown): string | undefined {
  if (typeof value === 'number' && !Number.isFinite(value)) {
    throw new Error(Number.isNaN(value) ? 'NaN is not allowed' : 'Infinity is not allowed');
  }
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  const withJson = value as { toJSON?: unknown };
  if (withJson.toJSON instanceof Function) return serialise((withJson.toJSON as () => unknown)());
  if (Array.isArray(value)) {
    let out = '[';
    for (let i = 0; i < value.length; i++) {
      const item: unknown = value[i];
      if (i > 0) out += ',';
      out += serialise(item === undefined || typeof item === 'symbol' ? null : item);
    }
    return `${out}]`;
  }
  return serialiseObject(value as Record<string, unknown>);
}

/**
 * Member names as JSON strings, by name. A license's names are the catalog's and the mapping's
 * own few dozen, written into every version's hash: quoting each once saves about a quarter of
 * the serialisation's CPU. Bounded in count and length, so names from data (a `json` transform's
 * keys) cannot grow it.
 */
const quotedKeys = new Map<string, string>();
const QUOTED_KEYS_MAX = 4096;
const QUOTED_KEY_MAX_LENGTH = 64;

function quotedKey(key: string): string {
  let quoted = quotedKeys.get(key);
  if (quoted === undefined) {
    quoted = JSON.stringify(key);
    if (quotedKeys.size < QUOTED_KEYS_MAX && key.length <= QUOTED_KEY_MAX_LENGTH) quotedKeys.set(key, quoted);
  }
  return quoted;
}

/**
 * An object's own names in UTF-16 order, as `sort()` puts them. A license's objects come in a few
 * shapes whose names arrive in one order each, and sorting them again was most of serialiseObject's
 * own time: the order is kept for a list of names equal, name by name, to one sorted before, found
 * by its first name. Bounded in count, names and lists a first name holds, so shapes from data
 * (a `json` transform's keys) can neither grow it nor slow it.
 */
const sortedKeys = new Map<string, Array<{ keys: string[]; sorted: string[] }>>();
let sortedKeysCount = 0;
const SORTED_KEYS_MAX = 1024;
const SORTED_KEYS_MAX_NAMES = 64;
const SORTED_KEYS_PER_FIRST = 8;

function sameNames(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function inKeyOrder(record: Record<string, unknown>): readonly string[] {
  const keys = Object.keys(record);
  const first = keys[0];
  if (first === undefined || keys.length > SORTED_KEYS_MAX_NAMES) return keys.sort();
  const seen = sortedKeys.get(first);
  if (seen !== undefined) {
    for (const entry of seen) if (sameNames(entry.keys, keys)) return entry.sorted;
  }
  const sorted = [...keys].sort();
  if (
    sortedKeysCount < SORTED_KEYS_MAX &&
    (seen === undefined || seen.length < SORTED_KEYS_PER_FIRST) &&
    keys.every((key) => key.length <= QUOTED_KEY_MAX_LENGTH)
  ) {
    sortedKeysCount += 1;
    if (seen === undefined) sortedKeys.set(first, [{ keys, sorted }]);
    else seen.push({ keys, sorted });
  }
  return sorted;
}

/** A JSON object's members in key order; `skip` leaves one top-level member out without a copy. */
function serialiseObject(record: Record<string, unknown>, skip?: string): string {
  const keys = inKeyOrder(record);
  let out = '{';
  let first = true;
  for (const key of keys) {
    const member = record[key];
    if (member === undefined || typeof member === 'symbol' || key === skip) continue;
    if (!first) out += ',';
    first = false;
    out += `${quotedKey(key)}:${serialise(member)}`;
  }
  return `${out}}`;
}

/** RFC 8785 JCS text of any JSON value. Throws on values JSON cannot carry (undefined, functions). */
export function jcs(value: unknown): string {
  const text = serialise(value);
  if (text === undefined) throw new TypeError('canonical: value has no JSON form');
  return text;
}

/** The reference implementation (the `canonicalize` package); tests hold `jcs` to it. */
export function jcsReference(value: unknown): string | undefined {
  return canonicalize(value);
}

export function canonicalJson(license: License): string {
  return jcs(license);
}

/**
 * UTF-8 bytes of a JCS text. Buffer.from, not TextEncoder.encode: the same bytes (a JCS text has no
 * lone surrogate to replace, JSON.stringify escapes them), in a slice of node's shared pool where
 * TextEncoder makes an ArrayBuffer of its own each time, 1.4-1.6 µs against 0.8-1.0 for a license.
 * A slice is a view at an offset: readers take byteOffset and byteLength with its buffer, and
 * posting it to a worker copies its pool's bytes once for all the slices sent.
 */
function utf8(text: string): Uint8Array {
  return Buffer.from(text, 'utf8');
}

/** UTF-8 bytes of the JCS text: the signed form. */
export function canonicalBytes(license: License): Uint8Array {
  return utf8(canonicalJson(license));
}

/**
 * The license's content hash and signed bytes ({@link contentHash}, {@link canonicalBytes}) from one
 * serialisation of its members: the sign stage checks each stored text against its version's
 * content hash before it signs it, and serialising the license for each took a third of the
 * stage's canonical work over again.
 */
export function signingForm(license: License): { contentHash: string; bytes: Uint8Array } {
  const withJson = license as { toJSON?: unknown };
  if (
    license === null ||
    typeof license !== 'object' ||
    Array.isArray(license) ||
    withJson.toJSON instanceof Function
  ) {
    return { contentHash: contentHash(license), bytes: canonicalBytes(license) };
  }
  // serialiseObject's members, each written once into both texts.
  const record = license as unknown as Record<string, unknown>;
  let whole = '{';
  let content = '{';
  for (const key of inKeyOrder(record)) {
    const member = record[key];
    if (member === undefined || typeof member === 'symbol') continue;
    const text = `${quotedKey(key)}:${serialise(member)}`;
    whole += whole.length === 1 ? text : `,${text}`;
    if (key !== 'identifier') content += content.length === 1 ? text : `,${text}`;
  }
  return { contentHash: sm3Hex(`${content}}`), bytes: utf8(`${whole}}`) };
}

/**
 * `contentHash` of a license read from a stored text, or the name of the error where it cannot be
 * hashed: a number past the doubles (`1e999` reads as Infinity, which the canonical form refuses)
 * or values nested deeper than the stack. A stored text is anyone's to edit, and its hash thrown
 * out of a page failed that page at every run (the sign stage, sign files, the lifecycle tick,
 * reminders, verify, the audit's act check): each reads it through here, the name only, as its
 * message may quote the text.
 */
export function storedContentHash(license: License): { hash: string } | { cannot: string } {
  try {
    return { hash: contentHash(license) };
  } catch (e) {
    return { cannot: e instanceof Error ? e.name : 'error' };
  }
}

/**
 * Hex SM3 of the JCS of the license WITHOUT `identifier`: the identifier carries the version, the
 * content must not, or every new version would look changed and a replayed page would not be a no-op.
 */
export function contentHash(license: License): string {
  const withJson = license as { toJSON?: unknown };
  if (license === null || typeof license !== 'object' || withJson.toJSON instanceof Function) {
    const { identifier: _identifier, ...content } = license;
    return sm3Hex(jcs(content));
  }
  // The common case: the license's own members minus `identifier`, serialised without copying it.
  return sm3Hex(serialiseObject(license as unknown as Record<string, unknown>, 'identifier'));
}
