/**
 * The SM2 signing kernel (GB/T 32918.2 §6.1): e = SM3(Z ‖ M), k·G, r = (e + x1) mod n,
 * s = (1 + d)⁻¹·(k − r·d) mod n, DER `SEQUENCE { r, s }`.
 *
 * Why k·G goes through `crypto.createECDH('SM2')`: the fixed-base product is the whole cost of a
 * signature, and `setPrivateKey(k)` makes OpenSSL compute k·G with `EC_POINT_mul`, which for a
 * secret scalar and no other points always takes OpenSSL's constant-time Montgomery ladder
 * (`ossl_ec_scalar_mul_ladder`, with coordinate blinding) — the same code `openssl speed sm2`
 * times. Pure-JS alternatives measured here: noble's blinded `multiply` with an 11-bit table
 * ≈2,100 k·G/s, its variable-time `multiplyUnsafe` ≈3,000/s (unusable: k is secret); the native
 * ladder ≈3,800/s on one core, with no table to build and no memory per worker. Only k·G is
 * delegated: the SM2 formula (not ECDSA's) stays here, so the output is an SM2 signature.
 *
 * Self-contained ON PURPOSE: `createSm2SignKernel` references nothing outside its own body, so
 * the worker pool can ship its source text to a worker (`Function.prototype.toString`) and the
 * same code signs in-process and in workers — from the TypeScript sources under the test runner
 * and from the compiled dist alike.
 */
import type * as NodeCrypto from 'node:crypto';

/** Plain data, structured-cloneable into a worker. */
export interface Sm2KernelMaterial {
  /** Private scalar d as 64 hex digits. */
  readonly dHex: string;
  /** (1 + d)⁻¹ mod n as hex. */
  readonly dPlus1InvHex: string;
  /** Z for the configured distinguishing id and this key. */
  readonly z: Uint8Array;
}

export interface Sm2KernelOutput {
  digest: Uint8Array;
  signature: Uint8Array;
}

export interface Sm2SignKernel {
  /** Signs each message (computes e = SM3(Z ‖ M) first). */
  signMessages(messages: readonly Uint8Array[]): Sm2KernelOutput[];
  /** Signs precomputed digests e (32 bytes each). */
  signDigests(digests: readonly Uint8Array[]): Uint8Array[];
  /** k·G's affine x for a caller's k (known-answer tests only). */
  baseX(k: bigint): bigint;
  /** Overwrites the last nonce held by OpenSSL. */
  dispose(): void;
}

export function createSm2SignKernel(crypto: typeof NodeCrypto, material: Sm2KernelMaterial): Sm2SignKernel {
  const n = 0xfffffffeffffffffffffffffffffffff7203df6b21c6052b53bbf40939d54123n;
  const d = BigInt(`0x${material.dHex}`);
  const dPlus1Inv = BigInt(`0x${material.dPlus1InvHex}`);
  const dBytes = Buffer.from(material.dHex.padStart(64, '0'), 'hex');
  const z = Buffer.from(material.z);
  const ecdh = crypto.createECDH('SM2');
  const fresh = Buffer.alloc(32);

  function hex32(v: bigint): string {
    return v.toString(16).padStart(64, '0');
  }

  function baseX(k: bigint): bigint {
    ecdh.setPrivateKey(Buffer.from(hex32(k), 'hex'));
    const point = ecdh.getPublicKey();
    return BigInt(`0x${point.toString('hex', 1, 33)}`);
  }

  // DER INTEGER of a positive value (< 2²⁵⁶): minimal bytes, 0x00 prefix when the top bit is set (X.690 §8.3).
  function writeInteger(out: Buffer, at: number, v: bigint): number {
    const raw = Buffer.from(hex32(v), 'hex');
    let i = 0;
    while (i < 31 && raw[i] === 0) i++;
    const pad = (raw[i] as number) & 0x80 ? 1 : 0;
    const len = 32 - i + pad;
    out[at] = 0x02;
    out[at + 1] = len;
    if (pad) out[at + 2] = 0;
    raw.copy(out, at + 2 + pad, i);
    return at + 2 + len;
  }

  function signDigest(e: Uint8Array): Uint8Array {
    const eInt = BigInt(`0x${Buffer.from(e).toString('hex')}`);
    // Hedged nonce: k = HMAC-SM3(d; fresh random ‖ e ‖ counter). Fresh randomness keeps k
    // unpredictable (GB/T 32918); d and e make a repeated RNG state (VM snapshot, fork) unable to
    // reuse k across messages — reuse reveals d = (k − s)/(s + r). Rejection keeps k unbiased.
    for (let counter = 0; counter < 16; counter++) {
      const h = crypto
        .createHmac('sm3', dBytes)
        .update(crypto.randomFillSync(fresh))
        .update(e)
        .update(Buffer.of(counter))
        .digest();
      const k = BigInt(`0x${h.toString('hex')}`);
      if (k === 0n || k >= n) continue;
      ecdh.setPrivateKey(h);
      const x1 = BigInt(`0x${ecdh.getPublicKey().toString('hex', 1, 33)}`);
      const r = (eInt + x1) % n;
      if (r === 0n || r + k === n) continue;
      let s = (dPlus1Inv * (k - r * d)) % n;
      if (s < 0n) s += n;
      if (s === 0n) continue;
      const der = Buffer.alloc(72);
      const end = writeInteger(der, writeInteger(der, 2, r), s);
      der[0] = 0x30;
      der[1] = end - 2;
      return new Uint8Array(der.subarray(0, end));
    }
    throw new Error('sm2: could not find a usable nonce');
  }

  return {
    signMessages(messages) {
      return messages.map((m) => {
        const digest = crypto.createHash('sm3').update(z).update(m).digest();
        return { digest: new Uint8Array(digest), signature: signDigest(digest) };
      });
    },
    signDigests(digests) {
      return digests.map((e) => {
        if (e.length !== 32) throw new RangeError('sm2: digest must be 32 bytes (SM3)');
        return signDigest(e);
      });
    },
    baseX,
    dispose() {
      // Leave a public value in OpenSSL's key slot instead of the last nonce.
      ecdh.setPrivateKey(Buffer.from(hex32(1n), 'hex'));
    },
  };
}
