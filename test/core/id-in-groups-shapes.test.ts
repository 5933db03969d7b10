/**
 * A resident ID number written in its groups is masked by its shape wherever a text is made safe
 * (maskPersonalShapes: a reason's value, a record key, an error's text, a log line, a signing
 * server's words). The 18-digit number in groups was (`1101** ******** 002X`); the 15-digit number
 * issued before 1999 in its groups (area, yymmdd, sequence: `110101 900307 123`) had no shape and
 * went out whole, though the catalog takes it for a person's number (catalog/personal.ts
 * hasResidentIdShape).
 */
import { describe, expect, it } from 'vitest';
import { quotedServerText } from '../../adapters/signers/remote/server-text.js';
import { failureMessage } from '../../core/errors.js';
import { maskNumberShapes, maskPersonalShapes } from '../../core/personal-shapes.js';

const digits = (n: number): string =>
  Array.from({ length: n }, () => String(Math.floor(Math.random() * 10))).join('');
const AREA = `1${digits(5)}`;
const SEQUENCE = digits(3);
// A birth date in the 1900s that is a calendar date: the 15-digit number's yymmdd.
const YYMMDD = `${String(50 + Math.floor(Math.random() * 50))}0${1 + Math.floor(Math.random() * 9)}1${Math.floor(Math.random() * 9)}`;
const toFullWidth = (s: string): string =>
  s.replace(/[0-9X -]/g, (c) => (c === ' ' ? '\u3000' : String.fromCharCode(c.charCodeAt(0) + 0xfee0)));

/** The number's digits, however it is grouped: none of its middle may show. */
function expectHidden(shown: string, id: string): void {
  const plain = shown.replace(/[\s\u3000-]/g, '');
  const number = id.replace(/[\s\u3000-]/g, '');
  expect(plain, shown).not.toContain(number.slice(0, 6));
  expect(plain, shown).not.toContain(number.slice(4, -4));
}

describe('a 15-digit resident ID number written in groups', () => {
  const groupings = [`${AREA} ${YYMMDD} ${SEQUENCE}`, `${AREA}-${YYMMDD}-${SEQUENCE}`];

  it('is masked as the whole number is, its separators kept where they stand', () => {
    const whole = maskPersonalShapes(`${AREA}${YYMMDD}${SEQUENCE}`);
    for (const id of groupings) {
      const shown = maskPersonalShapes(`持有人证件号码 ${id} 校验失败`);
      expectHidden(shown, id);
      expect(shown.replace(/[ -]/g, ''), id).toBe(`持有人证件号码${whole}校验失败`);
      expect(shown.length, id).toBe(`持有人证件号码 ${id} 校验失败`.length);
    }
  });

  it('in full-width digits too', () => {
    const id = toFullWidth(`${AREA} ${YYMMDD} ${SEQUENCE}`);
    const shown = maskPersonalShapes(`id ${id}`);
    expect(shown).not.toContain(id.slice(0, 6));
    expect(shown).toContain('*');
  });

  it("in an error's text, and in a signing server's words the remote signer quotes", () => {
    for (const id of groupings) {
      expectHidden(failureMessage(new Error(`row ${id} refused`)).message, id);
      expectHidden(quotedServerText(`holder ${id} refused`, []), id);
    }
  });

  it('leaves digits in groups whose middle is no date as they were', () => {
    for (const text of [
      `${AREA} 991399 ${SEQUENCE}`,
      `${AREA} ${YYMMDD} ${SEQUENCE}4`,
      `0${digits(5)} ${YYMMDD} 123`,
    ]) {
      expect(maskNumberShapes(text)).toBe(text);
    }
  });
});
