// The SM2 base-point table (11-bit window, tens of MB, most of a signer's start-up) is built once
// per process: a second load of the curve module (fresh modules per test file) reuses the point
// class that holds it, and signatures still verify across the two loads.
import { describe, expect, it, vi } from 'vitest';

const curve = () => import('../../adapters/signers/local-sm2/curve.js');

describe('the SM2 curve loaded twice in one process', () => {
  it('shares one point class, with its window, between the loads', async () => {
    const first = await curve();
    vi.resetModules();
    const second = await curve();
    expect(second).not.toBe(first); // really loaded again
    expect(second.Sm2Point).toBe(first.Sm2Point);
    first.warmUpSm2();
    second.warmUpSm2();
    expect(second.Sm2Point.BASE.multiply(5n).equals(first.Sm2Point.BASE.multiply(5n))).toBe(true);
  });

  it('verifies with one load what the other signed, and refuses a changed message', async () => {
    const signing = await import('../../adapters/signers/local-sm2/sm2.js');
    const key = signing.sm2PrivateKey(0x1234567890abcdefn);
    const message = new TextEncoder().encode('licbridge');
    const signature = signing.sm2Sign(key, message);
    vi.resetModules();
    const again = await import('../../adapters/signers/local-sm2/sm2.js');
    expect(again).not.toBe(signing);
    expect(again.sm2Verify(key.publicKey, message, signature)).toBe(true);
    expect(again.sm2Verify(key.publicKey, new TextEncoder().encode('licbridgE'), signature)).toBe(false);
  });
});
