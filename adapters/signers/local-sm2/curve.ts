/**
 * The SM2 recommended curve (GB/T 32918.5-2017 / GM/T 0003.5-2012, 256-bit prime field) built on
 * @noble/curves' generic short-Weierstrass point arithmetic, with a wide precomputed table for
 * the base point because the fixed-base product k·G is the whole cost of an SM2 signature.
 */
import { Field } from '@noble/curves/abstract/modular.js';
import { weierstrass } from '@noble/curves/abstract/weierstrass.js';

/** GB/T 32918.5 recommended parameters. `a = p − 3`. */
export const SM2_CURVE = Object.freeze({
  p: 0xfffffffeffffffffffffffffffffffffffffffff00000000ffffffffffffffffn,
  a: 0xfffffffeffffffffffffffffffffffffffffffff00000000fffffffffffffffcn,
  b: 0x28e9fa9e9d9f5e344d5a9e4bcf6509a7f39789f515ab8f92ddbcbd414d940e93n,
  n: 0xfffffffeffffffffffffffffffffffff7203df6b21c6052b53bbf40939d54123n,
  h: 1n,
  Gx: 0x32c4ae2c1f1981195f9904466a39c9948fe30bbff2660be1715a4589334c74c7n,
  Gy: 0xbc3736a2f4f6779c59bdcee36b692153d0a9877cc62a474002df32e52139f0a0n,
});

/** OID of the SM2 curve (namedCurve parameter of id-ecPublicKey keys). */
export const SM2_CURVE_OID = '1.2.156.10197.1.301';

/**
 * Width in bits of the base-point window. noble's default (6) builds a small table; a wider one
 * trades a one-off build (≈0.3–0.7 s, tens of MB) for fewer additions per k·G. Measured k·G per
 * CPU-second with noble's blinded secret-scalar path: 6 bits ≈2,050; 10 ≈2,620; 11 ≈2,770;
 * 12 ≈2,690 — past 11 bits the constant-time scan of each window costs more than the additions
 * it saves, and the table doubles again. A worker pool builds one table per worker, so memory
 * counts too.
 */
export const BASE_WINDOW_BITS = 11;

/** The scalar field mod n (inversions, reductions). */
export const Fn = Field(SM2_CURVE.n);

// The base table belongs to the point class (noble keeps it per point, and drops it when the
// window is set again), and building it is the costly part of starting to sign. A process that
// loads this module more than once (a test runner giving each file fresh modules while
// @noble/curves stays loaded) would build it again each time: the class is made and given its
// window once per process, under a registered symbol, and shared.
const SHARED_POINT = Symbol.for('licbridge.sm2.point');

function sm2Point() {
  const point = weierstrass(SM2_CURVE);
  // Lazy: the table is built on the first multiplication, so importing this module stays cheap.
  // `warmUpSm2()` builds it eagerly (a signer does so in `open()`, off the signing path).
  point.BASE.precompute(BASE_WINDOW_BITS, true);
  return point;
}

const shared = globalThis as { [SHARED_POINT]?: ReturnType<typeof sm2Point> };

shared[SHARED_POINT] ??= sm2Point();

/** Point type of the SM2 curve; `Sm2Point.BASE` is G. */
export const Sm2Point = shared[SHARED_POINT];
export type Sm2Point = InstanceType<typeof Sm2Point>;

let warmed = false;

/** Builds the base-point table now instead of on the first signature. Idempotent. */
export function warmUpSm2(): void {
  if (warmed) return;
  // multiply() is the secret-scalar path; it builds the (blinded-width) table signing uses.
  Sm2Point.BASE.multiply(3n);
  warmed = true;
}

/** Reduces a non-negative or negative bigint into [0, n). */
export function modN(x: bigint): bigint {
  const r = x % SM2_CURVE.n;
  return r < 0n ? r + SM2_CURVE.n : r;
}

export function bytesToBigInt(bytes: Uint8Array): bigint {
  if (bytes.length === 0) return 0n;
  return BigInt(`0x${Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex')}`);
}

/** Big-endian, left-padded to `length` bytes. Throws if the value does not fit. */
export function bigIntToBytes(value: bigint, length = 32): Uint8Array {
  if (value < 0n) throw new RangeError('negative value');
  const hex = value.toString(16).padStart(length * 2, '0');
  if (hex.length > length * 2) throw new RangeError(`value does not fit in ${length} bytes`);
  return Uint8Array.from(Buffer.from(hex, 'hex'));
}
