/**
 * Vectors whose expected answers come from outside licbridge: each was computed with python3
 * (an independent implementation of the standard, written from its text) on this machine, and the
 * script's steps are recorded next to each vector so they can be re-run.
 */
import { describe, expect, it } from 'vitest';
import { contentHash, jcs } from '../../catalog/canonical.js';
import {
  checkHolderId,
  isValidResidentId,
  isValidUscc,
  residentIdCheckChar,
  usccCheckChar,
} from '../../catalog/holder-id.js';
import { IDENTIFIER_ROOT, isIdentifier, isLegacyCheck, parseIdentifier } from '../../catalog/identifier.js';

// GB 32100: W_i = 3^i mod 31 (i = 0..16) over the alphabet 0-9A-Z without I O S V Z; check = 31 − Σ mod 31.
// python3: A='0123456789ABCDEFGHJKLMNPQRTUWXY'; s=sum(A.index(c)*pow(3,i,31) for i,c in enumerate(b));
//          c=31-s%31; A[0 if c==31 else c]
// Every one of the 17 weighted positions holds a non-zero value, so a wrong weight anywhere changes the check.
const USCC_ALL_NONZERO = ['91371326MA3C4KX158', '9244128719HJKLMNP2', '52653124LMNPQRTUWB'];

// GB 11643: W_i = 2^(17−i) mod 11 (i = 0..16); check = '10X98765432'[Σ mod 11].
// python3: sum(int(c)*pow(2,17-i,11) for i,c in enumerate(b)) % 11
// No digit of the 17 is 0, so a wrong weight at any position changes the check.
const RESIDENT_ALL_NONZERO = ['371326198712154130', '44522919561128769X', '234567197811299875'];

describe('holder ids against independently computed vectors', () => {
  it.each(USCC_ALL_NONZERO)('GB 32100 accepts %s and computes its check char', (code) => {
    expect(usccCheckChar(code.slice(0, 17))).toBe(code.charAt(17));
    expect(isValidUscc(code)).toBe(true);
    expect(checkHolderId('001', code)).toBeNull();
  });

  it.each(RESIDENT_ALL_NONZERO)('GB 11643 accepts %s and computes its check char', (id) => {
    expect(residentIdCheckChar(id.slice(0, 17))).toBe(id.charAt(17));
    expect(isValidResidentId(id, new Date(2026, 0, 1))).toBe(true);
    expect(checkHolderId('111', id, new Date(2026, 0, 1))).toBeNull();
  });

  it('rejects each vector with any other check char', () => {
    for (const code of USCC_ALL_NONZERO) {
      for (const ch of '0123456789ABCDEFGHJKLMNPQRTUWXY') {
        if (ch !== code.charAt(17)) expect(isValidUscc(code.slice(0, 17) + ch)).toBe(false);
      }
    }
    for (const id of RESIDENT_ALL_NONZERO) {
      for (const ch of '0123456789X') {
        if (ch !== id.charAt(17))
          expect(isValidResidentId(id.slice(0, 17) + ch, new Date(2026, 0, 1))).toBe(false);
      }
    }
  });
});

// ISO/IEC 7064 MOD 37,36 (hybrid): p=36; for each char: s=(p+v)%36 or 36; p=2s%37; check c with (p+v(c))%36 == 1.
// python3 with v = standard (A–Z → 10–35) and with v = vendor variant (A–Z → 11–36):
//   body 11100000000013338W03211220000013544541J2430599001 → standard F, vendor L
//   body 11370200MB1234567400111370211MB12345672ABCXYZ001 → standard F, vendor I
const VENDOR_VECTORS = [
  {
    type: '11100000000013338W032',
    issuer: '11220000013544541J',
    serial: '2430599',
    standard: 'F',
    vendor: 'L',
  },
  {
    type: '11370200MB12345674001',
    issuer: '11370211MB12345672',
    serial: 'ABCXYZ',
    standard: 'F',
    vendor: 'I',
  },
];

describe('identifier vendor variant (A–Z → 11–36) against independently computed checks', () => {
  it.each(VENDOR_VECTORS)('flags only the vendor check of $serial as legacy', (v) => {
    const body = `${v.type}${v.issuer}${v.serial}001`;
    for (const ch of '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ') {
      expect(isLegacyCheck(body, ch)).toBe(ch === v.vendor);
    }
    const id = (check: string) => `${IDENTIFIER_ROOT}.${v.type}.${v.issuer}.${v.serial}.001.${check}`;
    expect(parseIdentifier(id(v.vendor))).toMatchObject({ ok: true, legacyCheck: true, check: v.vendor });
    expect(parseIdentifier(id(v.standard))).toMatchObject({ ok: true, legacyCheck: false });
    expect(isIdentifier(id(v.vendor))).toBe(true);
    const other = v.vendor === 'A' ? 'B' : 'A';
    expect(parseIdentifier(id(other)).ok).toBe(false);
  });
});

// RFC 8785 §3.2.3: keys sort by UTF-16 code units. U+1D11E is the surrogate pair D834 DD1E, which
// sorts before U+E000 and U+FF5A in code units but after them in code points.
// python3: sorted(keys, key=lambda k: k.encode('utf-16-be')); SM3 by hashlib.new('sm3', text.encode()) with the
// text written from escapes (\u00e9 \ud7ff \U0001d11e \ue000 \uff5a).
const JCS_KEYS = { '\uff5a': 1, '\u{1d11e}': 2, a: 3, '\u00e9': 4, '\ud7ff': 5, '\ue000': 6 };
const JCS_TEXT = '{"a":3,"\u00e9":4,"\ud7ff":5,"\u{1d11e}":2,"\ue000":6,"\uff5a":1}';
const JCS_SM3 = '4213dff1b385ecb985b206eb536d7187ad1771fa6581772345782753ff9c5052';

describe('JCS key order separates UTF-16 code units from code points', () => {
  it('writes U+1D11E before U+E000 and U+FF5A', () => {
    expect(jcs(JCS_KEYS)).toBe(JCS_TEXT);
    expect(jcs({ nested: JCS_KEYS })).toBe(`{"nested":${JCS_TEXT}}`);
  });

  it('hashes the same order for content (the identifier-free path)', () => {
    const withIdentifier = { ...JCS_KEYS, identifier: 'left out' } as unknown as Parameters<
      typeof contentHash
    >[0];
    expect(contentHash(withIdentifier)).toBe(JCS_SM3);
  });
});
