/**
 * A mobile number right after an opening bracket — `联系电话(13800138000)`, a platform's `HTTP 400
 * (138-0013-8000)`, `（13800138000）` — was never found by its shape: the shape took the bracket for
 * part of the number's `(+86)`, and left it whole in every text masked by shape (a reason's value,
 * a record key in a report, licbridge's own errors on the terminal, a log line). It is masked as
 * one standing alone is; `(+86)` before a number is masked with it, as before.
 */
import { describe, expect, it } from 'vitest';
import { failureMessage } from '../../core/errors.js';
import { maskNumberShapes, maskPersonalShapes } from '../../core/personal-shapes.js';

const digits = (n: number): string =>
  Array.from({ length: n }, () => String(Math.floor(Math.random() * 10))).join('');
const MOBILE = `13${digits(9)}`;
const LAST4 = MOBILE.slice(-4);
const groups = (sep: string) => `${MOBILE.slice(0, 3)}${sep}${MOBILE.slice(3, 7)}${sep}${MOBILE.slice(7)}`;

describe('a mobile number right after an opening bracket', () => {
  it.each([
    [`联系电话(${MOBILE})`, `联系电话(*******${LAST4})`],
    [`联系电话（${MOBILE}）`, `联系电话（*******${LAST4}）`],
    [`HTTP 400 (${groups('-')})`, `HTTP 400 (*********${LAST4})`],
    [`phone [${groups(' ')}]`, `phone [*********${LAST4}]`],
  ])('%s is masked', (text, shown) => {
    expect(maskPersonalShapes(text)).toBe(shown);
    expect(maskNumberShapes(text)).toBe(shown);
  });

  it("in licbridge's own error, shown by shapes only", () => {
    const { message } = failureMessage(new Error(`target t: refused (${groups('-')})`), {
      numbers: 'shapes',
    });
    expect(message).not.toContain(MOBILE.slice(3, 7));
  });

  it('(+86) before the number is masked with it, as before', () => {
    expect(maskPersonalShapes(`tel (+86)${MOBILE}`)).toBe(`tel ${'*'.repeat(5 + 7)}${LAST4}`);
    expect(maskPersonalShapes(`tel (+86) ${groups('-')}`)).toBe(`tel ${'*'.repeat(6 + 9)}${LAST4}`);
  });
});
