/**
 * The digest maths reconciliation compares on both sides: source rows (connectors, in the
 * source's database where the dialect can) and the ledger (in PostgreSQL, or here). One module, so
 * the two sides cannot drift apart:
 *
 * - a key's **bucket** is `int(md5(key)[0..7], 16) mod buckets` (7 hex digits: 28 bits, an int
 *   in every SQL dialect);
 * - a fingerprint's **part** is `int(fingerprint[0..13], 16)` (52 bits), and a bucket's sum of
 *   parts is taken modulo 2^52, exact in a double and in a signed 64-bit integer;
 * - the ledger's own fingerprint of a license is md5 over its source key and content hash.
 *
 * md5 only spots change here; integrity rests on SM3 elsewhere.
 */
import { createHash } from 'node:crypto';

/** Hex digits of md5(key) a bucket is taken from. */
export const BUCKET_HEX_DIGITS = 7;
/** Hex digits of a fingerprint that bucket sums add up. */
export const FINGERPRINT_HEX_DIGITS = 13;
/** Bucket sums of fingerprint parts are taken modulo 2^52. */
export const FINGERPRINT_MOD = 2 ** 52;
/** The same modulus as SQL text (`4503599627370496`), for sums taken in the database. */
export const FINGERPRINT_MOD_SQL = String(FINGERPRINT_MOD);

export function md5Hex(text: string): string {
  return createHash('md5').update(text, 'utf8').digest('hex');
}

/** The bucket of a key's text. */
export function keyBucket(keyText: string, buckets: number): number {
  return Number.parseInt(md5Hex(keyText).slice(0, BUCKET_HEX_DIGITS), 16) % buckets;
}

/** The 52-bit part of a fingerprint that bucket sums add up. */
export function fingerprintPart(fingerprint: string): number {
  return Number.parseInt(fingerprint.slice(0, FINGERPRINT_HEX_DIGITS), 16);
}

/** The ledger's 52-bit fingerprint of a (source key, content hash) pair. */
export function pairFingerprint(sourceKey: string, contentHash: string): number {
  return fingerprintPart(md5Hex(`${sourceKey}\u001f${contentHash}`));
}
