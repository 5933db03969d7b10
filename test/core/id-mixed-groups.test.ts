/**
 * A resident ID number whose groups are parted by a space and a dash (`110105 19491231-002X`) is
 * a person's number to the catalog (catalog/personal.ts hasResidentIdShape masks the holder's
 * name and id by it), but the shape every text is masked by wanted one separator throughout, so an
 * error's text, a log line, a reason's value and a record key in a report showed it whole. It is
 * masked as one parted evenly is, its separators kept.
 */
import { describe, expect, it } from 'vitest';
import { hasResidentIdShape } from '../../catalog/personal.js';
import { failureMessage } from '../../core/errors.js';
import { maskNumberShapes, maskPersonalShapes } from '../../core/personal-shapes.js';

const digits = (n: number): string =>
  Array.from({ length: n }, () => String(Math.floor(Math.random() * 10))).join('');
const AREA = `1${digits(5)}`;
const YYMMDD = `8${Math.floor(Math.random() * 10)}0${1 + Math.floor(Math.random() * 9)}2${Math.floor(Math.random() * 9)}`;
const TAIL = `${digits(3)}X`;
const SEQUENCE = digits(3);

describe('a resident ID number with its groups parted by a space and a dash', () => {
  const cases = [
    [`${AREA} 19${YYMMDD}-${TAIL}`, `${AREA} 19${YYMMDD} ${TAIL}`],
    [`${AREA}-19${YYMMDD} ${TAIL}`, `${AREA} 19${YYMMDD} ${TAIL}`],
    [`${AREA} ${YYMMDD}-${SEQUENCE}`, `${AREA} ${YYMMDD} ${SEQUENCE}`],
  ] as const;

  it('is a person’s number to the catalog, and masked as one parted evenly is', () => {
    for (const [mixed, even] of cases) {
      expect(hasResidentIdShape(mixed)).toBe(true);
      const shown = maskPersonalShapes(`证件号码 ${mixed} 校验失败`);
      expect(shown.replace(/[ -]/g, ''), mixed).toBe(
        maskPersonalShapes(`证件号码 ${even} 校验失败`).replace(/ /g, ''),
      );
      expect(shown.replace(/[ -]/g, ''), mixed).not.toContain(AREA);
      // Its separators where they stood.
      expect(shown.slice(5, 5 + mixed.length).replace(/[^ -]/g, ''), mixed).toBe(mixed.replace(/[^ -]/g, ''));
    }
  });

  it("in an error's text and a record key", () => {
    for (const [mixed] of cases) {
      expect(failureMessage(new Error(`row ${mixed} refused`), { numbers: 'shapes' }).message).not.toContain(
        AREA,
      );
      expect(maskNumberShapes(mixed)).not.toContain(AREA);
    }
  });
});
