/**
 * A local SM2 signer checks its key as it opens by signing and verifying a probe. That verify
 * went through the verification tables (verify-tables.ts), which give a key seen three times a
 * table of its own: the third open of the same key in a process (each run's runtime opens its
 * signer again) built the base point's verification table and one for the key, ~0.1 s of CPU for
 * tables no verification of the run reads, and counted the signer's key among the keys whose
 * tables a verify run keeps. The self-check now verifies through the shared chain and leaves the
 * tables alone; a wrong key still fails it.
 */
import { describe, expect, it } from 'vitest';
import { generateSm2KeyPair } from '../../adapters/signers/local-sm2/keys.js';
import { LocalSm2Signer } from '../../adapters/signers/local-sm2/local-sm2-signer.js';
import { sm2PrivateKey, sm2SignDigest, sm2VerifyDigest } from '../../adapters/signers/local-sm2/sm2.js';
import { verifyTableStats } from '../../adapters/signers/local-sm2/verify-tables.js';

describe('a local SM2 signer opened again and again', () => {
  it('builds no verification table for its own key', async () => {
    const key = generateSm2KeyPair().privateKeyPem;
    const before = verifyTableStats();
    for (let i = 0; i < 4; i++) {
      const signer = new LocalSm2Signer('seal', {
        kind: 'local-sm2',
        key,
        workers: 0,
        sealId: '3702110000001',
        distId: '1234567812345678',
      });
      await signer.open();
      expect(await signer.sign([Buffer.from(`probe ${i}`)])).toHaveLength(1);
      await signer.close();
    }
    const after = verifyTableStats();
    expect(after.tablesBuilt - before.tablesBuilt).toBe(0);
    expect(after.keys).toBe(before.keys);
  });

  it('still tells a signature of another key, or of another digest, from a good one', () => {
    const key = sm2PrivateKey(0x1234567890abcdefn);
    const other = sm2PrivateKey(0xfedcba0987654321n);
    const e = new Uint8Array(32).fill(7);
    const sig = sm2SignDigest(key, e);
    expect(sm2VerifyDigest(key.publicKey, e, sig, { once: true })).toBe(true);
    expect(sm2VerifyDigest(other.publicKey, e, sig, { once: true })).toBe(false);
    expect(sm2VerifyDigest(key.publicKey, new Uint8Array(32).fill(8), sig, { once: true })).toBe(false);
    expect(sm2VerifyDigest(key.publicKey, e, { r: sig.r, s: sig.s + 1n }, { once: true })).toBe(false);
  });
});
