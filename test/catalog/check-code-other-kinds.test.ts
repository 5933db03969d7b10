/**
 * `licbridge check` prints the value it checked, masked when it has a resident ID number's shape
 * whatever the kind asked for. `check identifier` printed any value whole, so a person's ID number
 * given there (or an identifier whose serial is its holder's ID number) went out as typed, and
 * `check uscc` printed a mobile or passport number given by mistake whole. Every kind now masks an
 * ID, mobile, passport or travel permit number in the value by its shape.
 */
import { describe, expect, it } from 'vitest';
import { checkCode } from '../../pipelines/check-code.js';

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
/** The 18-char number with its GB 11643 check char. */
const withCheck = (first17: string): string =>
  first17 + '10X98765432'.charAt([...first17].reduce((s, d, i) => s + Number(d) * (WEIGHTS[i] ?? 0), 0) % 11);

const ID = withCheck(`37021119850611${String(Math.floor(Math.random() * 900) + 100)}`);
const BIRTH = ID.slice(6, 14);
const MOBILE = `139${String(Math.floor(Math.random() * 9e7) + 1e7)}`;
const PASSPORT = `E${String(Math.floor(Math.random() * 9e7) + 1e7)}`;
// An issuer's credit code and a type code of the demo catalog; the serial is the holder's ID number.
const IDENTIFIER = `1.2.156.3005.2.11370200MB12345674001.11370211MB12345672.${ID}.001.A`;

describe('check identifier and check uscc given a personal number', () => {
  it('identifier: an ID number, alone, in groups or as the serial, is masked', () => {
    for (const value of [ID, `${ID.slice(0, 6)} ${BIRTH} ${ID.slice(14)}`, IDENTIFIER]) {
      const result = checkCode('identifier', value);
      expect(JSON.stringify(result), value).not.toContain(BIRTH);
    }
    expect(checkCode('identifier', IDENTIFIER).value).toContain('1.2.156.3005.2.11370200MB12345674001');
  });

  it('uscc and identifier: a mobile or passport number is masked', () => {
    for (const kind of ['uscc', 'identifier'] as const) {
      for (const value of [MOBILE, PASSPORT]) {
        const result = checkCode(kind, value);
        expect(result.valid).toBe(false);
        expect(JSON.stringify(result), `${kind} ${value}`).not.toContain(value.slice(2, 7));
      }
    }
  });

  it('a license identifier or credit code without one stays in clear', () => {
    const code = '11370211MB12345672';
    expect(checkCode('uscc', code).value).toBe(code);
    const identifier = '1.2.156.3005.2.11370200MB12345674001.11370211MB12345672.JY2370211001.001.A';
    expect(checkCode('identifier', identifier).value).toBe(identifier);
  });
});
