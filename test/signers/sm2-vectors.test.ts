import { describe, expect, it } from 'vitest';
import { bigIntToBytes, Sm2Point } from '../../adapters/signers/local-sm2/curve.js';
import { decodeSm2Signature, encodeSm2Signature } from '../../adapters/signers/local-sm2/der.js';
import {
  sm2Digest,
  sm2PrivateKey,
  sm2Sign,
  sm2SignDigest,
  sm2SignDigestWithK,
  sm2Verify,
  sm2VerifyDigest,
  sm2Z,
} from '../../adapters/signers/local-sm2/sm2.js';
import { smCrypto } from './helpers.js';

const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex').toUpperCase();

// GM/T 0003.5-2012 / GB/T 32918.5-2017 Annex A: signature example on the recommended curve,
// message "message digest", ID_A "1234567812345678" (also in OpenSSL's sm2_internal_test.c).
const V = {
  d: 0x3945208f7b2144b13f36e38ac6d39f95889393692860b51a42fb81ef4df7c5b8n,
  px: '09F9DF311E5421A150DD7D161E4BC5C672179FAD1833FC076BB08FF356F35020',
  py: 'CCEA490CE26775A52DC6EA718CC1AA600AED05FBF35E084A6632F6072DA9AD13',
  z: 'B2E14C5C79C6DF5B85F4FE7ED8DB7A262B9DA7E07CCB0EA9F4747B8CCDA8A4F3',
  e: 'F0B43E94BA45ACCAACE692ED534382EB17E6AB5A19CE7B31F4486FDFC0D28640',
  k: 0x59276e27d506861a16680f3ad9c02dccef3cc1fa3cdbe4ce6d54b80deac1bc21n,
  r: 0xf5a03b0648d2c4630eeac513e1bb81a15944da3827d5b74143ac7eaceee720b3n,
  s: 0xb1b6aa29df212fd8763182bc0d421ca1bb9038fd1f7f42d4840b69c485bbc1aan,
  message: Buffer.from('message digest', 'ascii'),
};

describe('SM2 known answers (GM/T 0003.5 Annex A)', () => {
  const key = sm2PrivateKey(V.d);

  it('derives the published public key, Z and e', () => {
    const { x, y } = key.publicKey.toAffine();
    expect(hex(bigIntToBytes(x))).toBe(V.px);
    expect(hex(bigIntToBytes(y))).toBe(V.py);
    expect(hex(sm2Z(key.publicKey, '1234567812345678'))).toBe(V.z);
    expect(hex(sm2Digest(key.publicKey, V.message))).toBe(V.e);
  });

  it('with the published k produces the published (r, s)', () => {
    const sig = sm2SignDigestWithK(key, Buffer.from(V.e, 'hex'), V.k);
    expect(sig).toEqual({ r: V.r, s: V.s });
  });

  it('verifies the published signature and rejects it for another message or id', () => {
    const der = encodeSm2Signature({ r: V.r, s: V.s });
    const pub = Buffer.from(`04${V.px}${V.py}`, 'hex');
    expect(sm2Verify(pub, V.message, der)).toBe(true);
    expect(sm2Verify(pub, Buffer.from('message digesT'), der)).toBe(false);
    expect(sm2Verify(pub, V.message, der, '1234567812345679')).toBe(false);
    expect(sm2Verify(pub, V.message, encodeSm2Signature({ r: V.r, s: V.s + 1n }))).toBe(false);
  });
});

describe('SM2 sign and verify', () => {
  const key = sm2PrivateKey(Buffer.alloc(32, 7));
  const message = Buffer.from('电子证照 营业执照 91370211MA3C000000', 'utf8');

  it('round-trips and uses a fresh nonce per signature', () => {
    const a = sm2Sign(key, message);
    const b = sm2Sign(key, message);
    expect(sm2Verify(key.publicKey, message, a)).toBe(true);
    expect(sm2Verify(key.publicKey, message, b)).toBe(true);
    // Same key and message, different signatures: k is not a pure function of (d, e).
    expect(hex(a)).not.toBe(hex(b));
  });

  it('accepts a bare d and a compressed public key', () => {
    const der = sm2Sign(key.d, message, 'ALICE123@YAHOO.COM');
    expect(sm2Verify(key.publicKey.toBytes(true), message, der, 'ALICE123@YAHOO.COM')).toBe(true);
    expect(sm2Verify(key.publicKey.toBytes(true), message, der)).toBe(false);
  });

  it('rejects out-of-range and degenerate (r, s)', () => {
    const e = sm2Digest(key.publicKey, message);
    const { r, s } = sm2SignDigest(key, e);
    const n = Sm2Point.Fn.ORDER;
    expect(sm2VerifyDigest(key.publicKey, e, { r, s })).toBe(true);
    expect(sm2VerifyDigest(key.publicKey, e, { r: 0n, s })).toBe(false);
    expect(sm2VerifyDigest(key.publicKey, e, { r: r + n, s })).toBe(false);
    expect(sm2VerifyDigest(key.publicKey, e, { r, s: n - r })).toBe(false); // t = 0
  });

  it('refuses private keys outside [1, n-2]', () => {
    expect(() => sm2PrivateKey(0n)).toThrow(RangeError);
    expect(() => sm2PrivateKey(Sm2Point.Fn.ORDER - 1n)).toThrow(RangeError);
  });
});

describe('cross-check with sm-crypto', () => {
  const sm = smCrypto();
  const key = sm2PrivateKey(Buffer.alloc(32, 0x5a));
  const pubHex = Buffer.from(key.publicKey.toBytes(false)).toString('hex');
  const dHex = key.d.toString(16).padStart(64, '0');
  const text = '食品经营许可证：青岛西海岸新区';

  it('sm-crypto verifies our signatures', () => {
    const der = sm2Sign(key, Buffer.from(text, 'utf8'), 'seal-0001');
    const opts = { hash: true, der: true, userId: 'seal-0001' };
    expect(sm.doVerifySignature(text, Buffer.from(der).toString('hex'), pubHex, opts)).toBe(true);
    expect(sm.doVerifySignature(`${text}。`, Buffer.from(der).toString('hex'), pubHex, opts)).toBe(false);
  });

  it('we verify sm-crypto signatures', () => {
    const sigHex = sm.doSignature(text, dHex, { hash: true, der: true, publicKey: pubHex });
    expect(sm2Verify(key.publicKey, Buffer.from(text, 'utf8'), Buffer.from(sigHex, 'hex'))).toBe(true);
  });
});

describe('strict DER', () => {
  const good = encodeSm2Signature({ r: 0x80n, s: 0x01n }); // r needs a 0x00 pad
  it('encodes minimal integers', () => {
    expect(hex(good)).toBe('3007020200800201' + '01');
    expect(decodeSm2Signature(good)).toEqual({ r: 0x80n, s: 1n });
  });

  it.each([
    ['trailing byte', '30070202008002010100'],
    ['superfluous leading zero', '3008020300008002010' + '1'],
    ['negative integer', '3006020180020101'],
    ['long-form length for a short body', '308107020200800201' + '01'],
    ['indefinite length', '3080020200800201010000'],
    ['wrong outer tag', '3107020200800201' + '01'],
    ['three integers', '300a02020080020101020101'],
    ['truncated', '30070202008002'],
    ['empty integer', '30050200020101'],
  ])('rejects %s', (_name, der) => {
    expect(() => decodeSm2Signature(Buffer.from(der, 'hex'))).toThrow(/der:/);
  });

  it('sm2Verify returns false (does not throw) on malformed DER', () => {
    const key = sm2PrivateKey(12345n);
    expect(sm2Verify(key.publicKey, Buffer.from('x'), Buffer.from('3080', 'hex'))).toBe(false);
  });
});
