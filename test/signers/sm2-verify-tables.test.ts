// Verification with per-key tables (local-sm2/verify-tables.ts): a key that keeps coming back is
// multiplied from a table of its own. The answers must stay OpenSSL's: signatures made by
// `openssl pkeyutl` verify before and after the key earns its table, altered ones never do.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Sm2Point } from '../../adapters/signers/local-sm2/curve.js';
import { generateSm2KeyPair, loadSm2PrivateKey } from '../../adapters/signers/local-sm2/keys.js';
import { verifySm2Signature } from '../../adapters/signers/local-sm2/local-sm2-signer.js';
import { sm2BaseMultiply, sm2Verify } from '../../adapters/signers/local-sm2/sm2.js';
import {
  MAX_VERIFY_KEYS,
  TABLE_AFTER_USES,
  verifyProduct,
  verifyTableStats,
} from '../../adapters/signers/local-sm2/verify-tables.js';
import { makeTempDir, openssl } from './helpers.js';

const DIST_ID = '1234567812345678';
const messages = Array.from({ length: 4 }, (_, i) =>
  Buffer.from(`{"证照编号":"3702110000${i}","持证主体":"青岛某某餐饮有限公司"}`, 'utf8'),
);

describe('SM2 verification of a repeated key', () => {
  let dir: string;
  let cleanup: () => void;
  const pair = generateSm2KeyPair();
  const publicKey = loadSm2PrivateKey('seal', pair.privateKeyPem).privateKey.publicKey;
  const signatures: Buffer[] = [];

  beforeAll(() => {
    ({ dir, cleanup } = makeTempDir());
    writeFileSync(join(dir, 'key.pem'), pair.privateKeyPem);
    for (const [i, m] of messages.entries()) {
      writeFileSync(join(dir, `m${i}`), m);
      const r = openssl(
        ['pkeyutl', '-sign', '-rawin', '-digest', 'sm3', '-inkey', 'key.pem'].concat([
          '-in',
          `m${i}`,
          '-out',
          `s${i}`,
          '-pkeyopt',
          `distid:${DIST_ID}`,
        ]),
        dir,
      );
      expect(r.status, r.output).toBe(0);
      signatures.push(readFileSync(join(dir, `s${i}`)));
    }
  });
  afterAll(() => cleanup());

  it('OpenSSL signatures verify on every use, before and after the key has a table', () => {
    const builtBefore = verifyTableStats().tablesBuilt;
    for (let round = 0; round < TABLE_AFTER_USES + 1; round++) {
      for (const [i, m] of messages.entries()) {
        // A fresh point each time, as a key read from a PEM or a certificate is.
        expect(verifySm2Signature(pair.publicKeyPem, m, signatures[i] as Buffer, DIST_ID)).toBe(true);
        const other = messages[(i + 1) % messages.length] as Buffer;
        expect(sm2Verify(publicKey, other, signatures[i] as Buffer, DIST_ID)).toBe(false);
        expect(sm2Verify(publicKey, m, signatures[i] as Buffer, `${DIST_ID}X`)).toBe(false);
      }
    }
    // The key earned its table (and G its verification table, unless built already).
    expect(verifyTableStats().tablesBuilt).toBeGreaterThan(builtBefore);
    expect(verifyTableStats().withTable).toBeGreaterThanOrEqual(1);
    // Another key never verifies this key's signatures, table or not.
    const stranger = generateSm2KeyPair().publicKeyPem;
    expect(verifySm2Signature(stranger, messages[0] as Buffer, signatures[0] as Buffer, DIST_ID)).toBe(false);
  });

  it('the table product equals the shared-chain product', () => {
    const key = Sm2Point.fromBytes(sm2BaseMultiply(0x1234567890abcdefn));
    const scalars = [1n, 2n, 0xfedcba9876543210fedcba9876543210fedcba9876543210fedcba98765432n];
    for (let use = 0; use < TABLE_AFTER_USES + 2; use++) {
      for (const s of scalars) {
        const t = scalars[(scalars.indexOf(s) + 1) % scalars.length] as bigint;
        expect(verifyProduct(s, key, t).equals(Sm2Point.BASE.mulAddUnsafe(s, key, t))).toBe(true);
      }
    }
  });

  it('remembers a bounded number of keys', () => {
    for (let i = 0; i < MAX_VERIFY_KEYS + 5; i++)
      verifyProduct(1n, Sm2Point.fromBytes(sm2BaseMultiply(BigInt(i + 2))), 1n);
    expect(verifyTableStats().keys).toBe(MAX_VERIFY_KEYS);
  });
});
