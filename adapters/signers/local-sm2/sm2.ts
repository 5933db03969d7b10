/**
 * SM2 digital signature with SM3 (GB/T 32918.2-2016, parameters of GB/T 32918.5-2017).
 * This is the real SM2 scheme — Z over the signer's identity and key, r = (e + x1) mod n,
 * s = (1 + d)⁻¹(k − r·d) — not ECDSA on the SM2 curve, which is what Node's
 * `crypto.sign('sm3', …)` produces and what SM2 verifiers reject.
 */
import { createECDH, createHash, createHmac, type ECDH, randomBytes } from 'node:crypto';
import { DEFAULT_DIST_ID } from '../signer.js';
import { bigIntToBytes, bytesToBigInt, Fn, modN, SM2_CURVE, Sm2Point } from './curve.js';
import { DerError, decodeSm2Signature, encodeSm2Signature, type Sm2SignatureValue } from './der.js';
import { verifyProduct } from './verify-tables.js';

export { decodeSm2Signature, encodeSm2Signature, type Sm2SignatureValue } from './der.js';

const { n } = SM2_CURVE;

/** A public key: SEC1 point bytes (65-byte uncompressed or 33-byte compressed) or a point. */
export type Sm2PublicKeyInput = Uint8Array | Sm2Point;

/** A private key prepared once for repeated signing (public point and (1+d)⁻¹ cached). */
export interface Sm2PrivateKey {
  readonly d: bigint;
  readonly publicKey: Sm2Point;
  /** (1 + d)⁻¹ mod n, so a signature costs no modular inversion. */
  readonly dPlus1Inv: bigint;
  /** d as 32 bytes: the HMAC key of the hedged nonce. */
  readonly dBytes: Uint8Array;
}

// a ‖ b ‖ Gx ‖ Gy enter every Z unchanged (GB/T 32918.2 §5.5).
const CURVE_BYTES = Buffer.concat(
  [SM2_CURVE.a, SM2_CURVE.b, SM2_CURVE.Gx, SM2_CURVE.Gy].map((v) => bigIntToBytes(v)),
);

let baseEcdh: ECDH | undefined;

/**
 * k·G through OpenSSL: `ECDH.setPrivateKey` runs `EC_POINT_mul` with only the generator, which
 * OpenSSL always computes with its constant-time Montgomery ladder (see sign-kernel.ts for the
 * measurements that chose this over a JS table). Returns the uncompressed point.
 */
export function sm2BaseMultiply(k: bigint): Uint8Array {
  if (k < 1n || k >= n) throw new RangeError('sm2: scalar out of range [1, n-1]');
  baseEcdh ??= createECDH('SM2');
  baseEcdh.setPrivateKey(bigIntToBytes(k));
  return baseEcdh.getPublicKey();
}

function toPoint(publicKey: Sm2PublicKeyInput): Sm2Point {
  if (publicKey instanceof Uint8Array) return Sm2Point.fromBytes(publicKey); // checks on-curve
  publicKey.assertValidity();
  return publicKey;
}

function idBytes(distId: string | Uint8Array): Uint8Array {
  return typeof distId === 'string' ? Buffer.from(distId, 'utf8') : distId;
}

/** Prepares d (bigint or 32 bytes) for signing. SM2 requires 1 ≤ d ≤ n − 2 so that 1 + d is invertible. */
export function sm2PrivateKey(d: bigint | Uint8Array): Sm2PrivateKey {
  const value = typeof d === 'bigint' ? d : bytesToBigInt(d);
  if (value < 1n || value > n - 2n) throw new RangeError('sm2: private key out of range [1, n-2]');
  return {
    d: value,
    publicKey: Sm2Point.fromBytes(sm2BaseMultiply(value)),
    dPlus1Inv: Fn.inv(value + 1n),
    dBytes: bigIntToBytes(value),
  };
}

/**
 * Z = SM3(ENTL ‖ ID ‖ a ‖ b ‖ Gx ‖ Gy ‖ Px ‖ Py), ENTL the bit length of ID as 16 bits
 * big-endian (GB/T 32918.2 §5.5). The ID is the distinguishing id, UTF-8 if given as a string.
 */
export function sm2Z(
  publicKey: Sm2PublicKeyInput,
  distId: string | Uint8Array = DEFAULT_DIST_ID,
): Uint8Array {
  const id = idBytes(distId);
  // ENTL is two bytes: ids of 8192 bytes or more cannot be expressed.
  if (id.length >= 8192) throw new RangeError('sm2: distinguishing id longer than 8191 bytes');
  const { x, y } = toPoint(publicKey).toAffine();
  const entl = Buffer.of((id.length * 8) >> 8, (id.length * 8) & 0xff);
  return createHash('sm3')
    .update(entl)
    .update(id)
    .update(CURVE_BYTES)
    .update(bigIntToBytes(x))
    .update(bigIntToBytes(y))
    .digest();
}

/** e = SM3(Z ‖ M) for a precomputed Z (what a signer caches per key and id). */
export function sm2DigestWithZ(z: Uint8Array, message: Uint8Array): Uint8Array {
  return createHash('sm3').update(z).update(message).digest();
}

/** e = SM3(Z ‖ M): the 32 bytes an SM2 signature is computed over. */
export function sm2Digest(
  publicKey: Sm2PublicKeyInput,
  message: Uint8Array,
  distId: string | Uint8Array = DEFAULT_DIST_ID,
): Uint8Array {
  return sm2DigestWithZ(sm2Z(publicKey, distId), message);
}

/**
 * Hedged nonce: k = HMAC-SM3(d; 32 fresh random bytes ‖ e ‖ counter), kept only if it lies in
 * [1, n−1] (rejection, so no modular bias; a rejection has probability ~2⁻³²). Fresh randomness
 * keeps k unpredictable, as GB/T 32918 asks; mixing in d and e means a stuck or cloned RNG
 * (VM snapshot, fork) can never give the same k to two different messages — the one failure
 * that hands out the private key, d = (k − s)/(s + r). Costs a few µs against ~300 µs for k·G.
 */
function hedgedNonce(key: Sm2PrivateKey, e: Uint8Array, counter: number): bigint {
  const k = bytesToBigInt(
    createHmac('sm3', key.dBytes).update(randomBytes(32)).update(e).update(Buffer.of(counter)).digest(),
  );
  return k >= 1n && k < n ? k : 0n;
}

/** One SM2 signing step for a given k; null when k must be replaced (r = 0, r + k = n or s = 0). */
function signWithK(key: Sm2PrivateKey, e: bigint, k: bigint): Sm2SignatureValue | null {
  // OpenSSL's constant-time ladder: k is secret.
  const x1 = bytesToBigInt(sm2BaseMultiply(k).subarray(1, 33));
  const r = modN(e + x1);
  if (r === 0n || r + k === n) return null;
  const s = modN(key.dPlus1Inv * (k - r * key.d));
  if (s === 0n) return null;
  return { r, s };
}

function prepared(key: bigint | Uint8Array | Sm2PrivateKey): Sm2PrivateKey {
  return typeof key === 'bigint' || key instanceof Uint8Array ? sm2PrivateKey(key) : key;
}

/**
 * Signs the 32-byte digest e = SM3(Z ‖ M). Pass an `Sm2PrivateKey` from `sm2PrivateKey()` when
 * signing many times: a bare d costs an extra point multiplication and inversion per call.
 */
export function sm2SignDigest(d: bigint | Sm2PrivateKey, e: Uint8Array): Sm2SignatureValue {
  const key = prepared(d);
  if (e.length !== 32) throw new RangeError('sm2: digest must be 32 bytes (SM3)');
  const eInt = bytesToBigInt(e);
  // A retry happens with probability ~2⁻³²; the bound only turns a broken RNG into an error.
  for (let counter = 0; counter < 16; counter++) {
    const k = hedgedNonce(key, e, counter);
    const sig = k === 0n ? null : signWithK(key, eInt, k);
    if (sig) return sig;
  }
  throw new Error('sm2: could not find a usable nonce');
}

/**
 * Signs with a caller-chosen k. Only for known-answer tests against published vectors
 * (GM/T 0003.5 Annex A): a k used for two messages reveals the private key.
 */
export function sm2SignDigestWithK(d: bigint | Sm2PrivateKey, e: Uint8Array, k: bigint): Sm2SignatureValue {
  if (k < 1n || k >= n) throw new RangeError('sm2: k out of range [1, n-1]');
  const sig = signWithK(prepared(d), bytesToBigInt(e), k);
  if (!sig) throw new RangeError('sm2: this k yields no valid signature');
  return sig;
}

/** Signs a message: e = SM3(Z ‖ M), returns the DER signature. */
export function sm2Sign(
  privateKey: bigint | Uint8Array | Sm2PrivateKey,
  message: Uint8Array,
  distId: string | Uint8Array = DEFAULT_DIST_ID,
): Uint8Array {
  const key = prepared(privateKey);
  return encodeSm2Signature(sm2SignDigest(key, sm2Digest(key.publicKey, message, distId)));
}

/**
 * Verifies (r, s) over the digest e with the public key (GB/T 32918.2 §7.1). `once`: a check made
 * once per use of the key (a signer's self-check as it opens), not a verification of signatures
 * that come back for it: through the shared chain, and not counted towards a table of its own.
 */
export function sm2VerifyDigest(
  publicKey: Sm2PublicKeyInput,
  e: Uint8Array,
  sig: Sm2SignatureValue,
  options: { once?: boolean } = {},
): boolean {
  const { r, s } = sig;
  if (r < 1n || r >= n || s < 1n || s >= n) return false;
  const t = modN(r + s);
  if (t === 0n) return false;
  // Public scalars, so variable time is fine. A key that keeps coming back is multiplied from a
  // table of its own (verify-tables.ts); a new one through one shared doubling chain.
  const key = toPoint(publicKey);
  const point = options.once ? Sm2Point.BASE.mulAddUnsafe(s, key, t) : verifyProduct(s, key, t);
  if (point.is0()) return false;
  return modN(bytesToBigInt(e) + point.toAffine().x) === r;
}

/**
 * Verifies a DER signature over a message. Returns false for a wrong or malformed signature;
 * throws (from point decoding) only if the public key itself is not a valid SM2 point.
 */
export function sm2Verify(
  publicKey: Sm2PublicKeyInput,
  message: Uint8Array,
  derSignature: Uint8Array,
  distId: string | Uint8Array = DEFAULT_DIST_ID,
): boolean {
  let sig: Sm2SignatureValue;
  try {
    sig = decodeSm2Signature(derSignature);
  } catch (e) {
    if (e instanceof DerError) return false;
    throw e;
  }
  const point = toPoint(publicKey);
  return sm2VerifyDigest(point, sm2Digest(point, message, distId), sig);
}
