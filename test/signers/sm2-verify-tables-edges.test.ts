// Verification through a key's own table (local-sm2/verify-tables.ts) refuses what the shared
// chain refuses: altered signatures, r or s out of [1, n-1] or aliased by n, and r + s = n, which
// a signer whose nonce k meets r + k = n would produce and whose product s·G + 0·P alone would
// pass the final check.
import { describe, expect, it } from 'vitest';
import { bytesToBigInt, modN, SM2_CURVE, Sm2Point } from '../../adapters/signers/local-sm2/curve.js';
import {
  sm2BaseMultiply,
  sm2SignDigestWithK,
  sm2VerifyDigest,
} from '../../adapters/signers/local-sm2/sm2.js';
import { TABLE_AFTER_USES, verifyTableStats } from '../../adapters/signers/local-sm2/verify-tables.js';

const { n } = SM2_CURVE;
const d = 0x3945208f7b2144b13f36e38ac6d39f95889393692860b51a42fb81ef4df7c5b8n;
const other = 0x1649ab77a00637bd5e2efe283fbf353534aa7f7cb89463f208ddbc2920bb0da0n;

function digest(i: number): Uint8Array {
  const e = new Uint8Array(32);
  e[0] = 0x5a;
  e[31] = i;
  return e;
}

function bytes32(x: bigint): Uint8Array {
  return Uint8Array.from(Buffer.from(x.toString(16).padStart(64, '0'), 'hex'));
}

describe('SM2 verification through a key table: edge cases', () => {
  const key = Sm2Point.fromBytes(sm2BaseMultiply(d));
  const stranger = Sm2Point.fromBytes(sm2BaseMultiply(other));
  const good = Array.from({ length: 6 }, (_, i) => ({
    e: digest(i),
    sig: sm2SignDigestWithK(d, digest(i), 0x1234567n + BigInt(i) * 0x9e3779b97f4a7c15n),
  }));

  it('uses the table and refuses every altered or out-of-range signature', () => {
    for (let use = 0; use <= TABLE_AFTER_USES; use++) {
      expect(sm2VerifyDigest(key, good[0]?.e as Uint8Array, good[0]?.sig as { r: bigint; s: bigint })).toBe(
        true,
      );
      expect(
        sm2VerifyDigest(stranger, good[0]?.e as Uint8Array, good[0]?.sig as { r: bigint; s: bigint }),
      ).toBe(false);
    }
    expect(verifyTableStats().withTable).toBeGreaterThanOrEqual(2);
    for (const { e, sig } of good) {
      const { r, s } = sig;
      expect(sm2VerifyDigest(key, e, sig)).toBe(true);
      const bad = [
        { r: r + 1n, s },
        { r: r - 1n, s },
        { r, s: s + 1n },
        { r, s: s - 1n },
        { r: s, s: r },
        { r: r + n, s },
        { r, s: s + n },
        { r: 0n, s },
        { r, s: 0n },
        { r: n, s },
        { r, s: n },
        { r: n - r, s: n - s },
      ];
      for (const b of bad) expect(sm2VerifyDigest(key, e, b)).toBe(false);
      expect(sm2VerifyDigest(key, digest(200), sig)).toBe(false);
      expect(sm2VerifyDigest(stranger, e, sig)).toBe(false);
    }
  });

  it('refuses r + s = n, made from a nonce k with r + k = n', () => {
    for (const k of [2n, 0xabcdef0123456789n, n - 2n]) {
      const x1 = Sm2Point.BASE.multiply(k).toAffine().x;
      const r = n - k;
      // The digest that makes r = e + x1 (mod n) for this k.
      const e = bytes32(modN(r - x1));
      expect(modN(bytesToBigInt(e) + x1)).toBe(r);
      // s = (1 + d)⁻¹ (k − r·d) = k when r = n − k: t = r + s = n, and s·G alone gives x1.
      const s = k;
      for (let use = 0; use <= TABLE_AFTER_USES; use++) {
        expect(sm2VerifyDigest(key, e, { r, s })).toBe(false);
        expect(sm2VerifyDigest(stranger, e, { r, s })).toBe(false);
      }
    }
  });
});
