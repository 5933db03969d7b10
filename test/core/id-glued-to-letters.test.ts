/**
 * A resident ID number with letters stuck to it: a business system's record key naming the
 * document (`SFZ110105…`, `ID110105…`) or wrapping it (`A110105…B`), a token from outside
 * (`sfzh11010519491231002Xabc`). Its shape was looked for only where it stood alone (no letter or
 * digit on either side), so a reconcile report, a worklist row, an error's text and a log line
 * showed such a key whole. A run of 17 digits and a digit or X (or the 15 digits of the number
 * issued before 1999) is now masked wherever it is not part of a longer run of digits, whatever
 * letters stand beside it. A credit code, a license identifier and a longer digit run stay whole.
 */
import { describe, expect, it } from 'vitest';
import { isLegalPersonHolder } from '../../catalog/personal.js';
import { maskNumberShapes, maskPersonalShapes } from '../../core/personal-shapes.js';
import { worklistHtml } from '../../pipelines/quarantine-export.js';
import type { Worklist } from '../../pipelines/quarantine-list.js';
import { expectHiddenInTexts } from './glued-shapes-fixture.js';

const ID = '110105194912310021';
const ID_X = '11010519491231002X';
const OLD_ID = '110101900307123';
const GLUED = [
  `SFZ${ID}`,
  `ID${ID}`,
  `A${ID}B`,
  `sfzh${ID_X}abc`,
  `id${ID_X.toLowerCase()}`,
  `${ID}K01`,
  `ID${OLD_ID}`,
  `SFZ${OLD_ID}Z`,
  `SFZ110105-19491231-002X`,
];

/** Neither the number's area code nor its birth date shows in `shown`. */
function expectHidden(shown: string, key: string): void {
  const digits = key.replace(/[^0-9]/g, '');
  expect(shown, key).not.toContain(digits.slice(0, 6));
  expect(shown.replace(/-/g, ''), key).not.toContain(digits.slice(6, 12));
}

describe('a resident ID number with letters stuck to it', () => {
  it('is masked by its shape, the letters beside it kept', () => {
    for (const key of GLUED) expectHidden(maskNumberShapes(key), key);
    expect(maskPersonalShapes(`SFZ${ID}`)).toBe('SFZ1101**********0021');
    expect(maskPersonalShapes(`A${ID}B`)).toBe('A1101**********0021B');
    expect(maskPersonalShapes(`ID${OLD_ID}`)).toBe('ID1101*******7123');
  });

  it("in an error's text, a log line and text scrubbed of personal data", () => {
    expectHiddenInTexts(GLUED, expectHidden);
  });

  it('in a worklist row', () => {
    const seen = new Date('2026-01-01T00:00:00Z');
    const list: Worklist = {
      entries: GLUED.map((sourceKey) => ({
        pipeline: 'food',
        sourceKey,
        reasons: [{ code: 'SCHEMA', message: 'm', zh: '缺少字段', en: 'missing field', column: 'XKZBH' }],
        firstSeen: seen,
        lastSeen: seen,
        timesSeen: 1,
      })),
      byReason: { SCHEMA: GLUED.length },
    };
    const html = worklistHtml(list, 'Asia/Shanghai');
    for (const key of GLUED) expectHidden(html, key);
  });

  it("makes a holder filed as an organisation's a person's, its name masked", () => {
    for (const id of [`SFZ${ID}`, `ID${OLD_ID}`]) expect(isLegalPersonHolder('001', id), id).toBe(false);
    expect(isLegalPersonHolder('001', '91370406L24894136J')).toBe(true);
  });

  it('leaves credit codes, license identifiers and longer digit runs whole', () => {
    for (const text of [
      '91370406L24894136J',
      '11100000MB03271699',
      'USCC11100000000013338W',
      '1.2.156.3005.2.11100000000013338W032.11220000013544541J.2430599.001.F',
      '1.2.156.3005.2.11100000000013338W011.11430000006122244L.20230000403.001.U',
      `ORD${ID}7`,
      `T2${ID}`,
      `CARD6222${ID}`,
      // No date where the birth date stands.
      'SFZ110105194913310021',
      'ID110101901307123',
    ])
      expect(maskNumberShapes(text), text).toBe(text);
  });
});
