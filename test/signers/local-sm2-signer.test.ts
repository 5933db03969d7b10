import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { LocalSm2SignerConfig } from '../../adapters/signers/local-sm2/config.js';
import { generateSm2KeyPair, parseSm2PublicKeyPem } from '../../adapters/signers/local-sm2/keys.js';
import { LocalSm2Signer, verifySm2Signature } from '../../adapters/signers/local-sm2/local-sm2-signer.js';
import { sm2Z } from '../../adapters/signers/local-sm2/sm2.js';
import { SM2_SM3_OID } from '../../adapters/signers/signer.js';
import { ErrorCodes, LicbridgeError } from '../../core/errors.js';

function config(overrides: Partial<LocalSm2SignerConfig> = {}): LocalSm2SignerConfig {
  return {
    kind: 'local-sm2',
    key: generateSm2KeyPair().privateKeyPem,
    sealId: '37021100000001',
    distId: '1234567812345678',
    ...overrides,
  };
}

const messages = ['营业执照 第一份', '食品经营许可证 第二份', ''].map((t) => Buffer.from(t, 'utf8'));

describe('LocalSm2Signer', () => {
  it('signs a batch in order; every record verifies with the published public key', async () => {
    const signer = new LocalSm2Signer('district-seal', config());
    await signer.open();
    const records = await signer.sign(messages);
    expect(records).toHaveLength(messages.length);
    const pem = signer.publicKeyPem();
    const z = sm2Z(parseSm2PublicKeyPem(pem), '1234567812345678');
    records.forEach((rec, i) => {
      const msg = messages[i] as Buffer;
      expect(rec.algorithm).toBe(SM2_SM3_OID);
      expect(rec.signerKind).toBe('local-sm2');
      expect(rec.sealId).toBe('37021100000001');
      expect(rec.distId).toBe('1234567812345678');
      expect(rec.certificateSerial).toBeNull();
      expect(rec.certificateIssuer).toBeNull();
      expect(rec.signedAt).toBeInstanceOf(Date);
      // digest is e = SM3(Z ‖ M) for this message, so records cannot be swapped.
      expect(rec.digest).toBe(createHash('sm3').update(z).update(msg).digest('hex'));
      expect(verifySm2Signature(pem, msg, rec.signature)).toBe(true);
      const other = messages[(i + 1) % messages.length] as Buffer;
      expect(verifySm2Signature(pem, other, rec.signature)).toBe(false);
    });
    await signer.close();
  });

  it('signs with a non-default distinguishing id', async () => {
    const signer = new LocalSm2Signer('district-seal', config({ distId: 'licbridge-seal@370211' }));
    await signer.open();
    const [rec] = await signer.sign([messages[0] as Buffer]);
    expect(rec?.distId).toBe('licbridge-seal@370211');
    const pem = signer.publicKeyPem();
    expect(
      verifySm2Signature(pem, messages[0] as Buffer, rec?.signature ?? new Uint8Array(), rec?.distId),
    ).toBe(true);
    expect(verifySm2Signature(pem, messages[0] as Buffer, rec?.signature ?? new Uint8Array())).toBe(false);
    await signer.close();
  });

  it('opens an encrypted key with its passphrase', async () => {
    const pair = generateSm2KeyPair({ passphrase: 'pass-一二三' });
    const signer = new LocalSm2Signer(
      'district-seal',
      config({ key: pair.privateKeyPem, passphrase: 'pass-一二三' }),
    );
    await signer.open();
    expect(signer.publicKeyPem()).toBe(pair.publicKeyPem);
    const [rec] = await signer.sign([messages[1] as Buffer]);
    expect(
      verifySm2Signature(pair.publicKeyPem, messages[1] as Buffer, rec?.signature ?? new Uint8Array()),
    ).toBe(true);
  });

  it('fails in open() with SIGNER_KEY, before any signing, on a wrong passphrase', async () => {
    const pair = generateSm2KeyPair({ passphrase: 'right' });
    const signer = new LocalSm2Signer(
      'district-seal',
      config({ key: pair.privateKeyPem, passphrase: 'wrong!' }),
    );
    const err = await signer.open().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(LicbridgeError);
    expect((err as LicbridgeError).code).toBe(ErrorCodes.SIGNER_KEY);
    expect((err as LicbridgeError).message).not.toContain('wrong!');
    await expect(signer.sign(messages)).rejects.toMatchObject({ code: ErrorCodes.SIGNER_FAILED });
  });

  it('refuses to sign before open() and after close()', async () => {
    const signer = new LocalSm2Signer('district-seal', config());
    await expect(signer.sign(messages)).rejects.toMatchObject({
      code: ErrorCodes.SIGNER_FAILED,
      context: { signer: 'district-seal' },
    });
    expect(() => signer.publicKeyPem()).toThrow(LicbridgeError);
    await signer.open();
    await signer.close();
    await expect(signer.sign(messages)).rejects.toMatchObject({ code: ErrorCodes.SIGNER_FAILED });
  });

  it('signs an empty batch to an empty list', async () => {
    const signer = new LocalSm2Signer('district-seal', config());
    await signer.open();
    expect(await signer.sign([])).toEqual([]);
  });
});
