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

/** RFC 8785 JCS text of any JSON value. Throws on values JSON cannot carry (undefined, functions). */
export function jcs(value: unknown): string {
  const text = canonicalize(value);
  if (text === undefined) throw new TypeError('canonical: value has no JSON form');
  return text;
}

export function canonicalJson(license: License): string {
  return jcs(license);
}

/** UTF-8 bytes of the JCS text: the signed form. */
export function canonicalBytes(license: License): Uint8Array {
  return new TextEncoder().encode(canonicalJson(license));
}

/**
 * Hex SM3 of the JCS of the license WITHOUT `identifier`: the identifier carries the version, the
 * content must not, or every new version would look changed and a replayed page would not be a no-op.
 */
export function contentHash(license: License): string {
  const { identifier: _identifier, ...content } = license;
  return sm3Hex(jcs(content));
}
