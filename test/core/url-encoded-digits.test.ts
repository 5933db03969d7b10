/**
 * An ID or mobile number whose digits a URL's query carries percent-encoded: typed in full-width
 * digits into a form, as a browser encodes them (`%EF%BC%91…`), or each digit encoded by a client
 * that encodes all it sends (`%31%31%30…`). A log line showed both whole, and an error's text the
 * second. Masked now, the digits shown decoded where a number was masked; a query with encoded
 * digits and no person's number stays as it was. Made up, no one's numbers.
 */
import { describe, expect, it } from 'vitest';
import { safeErrorText } from '../../core/error-text.js';
import { logged, stored } from '../logging/labelled-fixture.js';

const FULL_WIDTH = (digits: string): string =>
  Array.from(digits, (d) => String.fromCharCode(d.charCodeAt(0) + 0xfee0)).join('');
const fullWidthEncoded = (digits: string): string => encodeURIComponent(FULL_WIDTH(digits));
const eachEncoded = (digits: string): string => Array.from(digits, (d) => `%3${d}`).join('');

const shown = (text: string): string[] => {
  const { field, msg } = logged(text);
  return [field, msg, safeErrorText(text), stored(text)];
};

describe('a number whose digits are percent-encoded', () => {
  it.each([
    ['GET /api?sfzh=', fullWidthEncoded('110105194912310021'), '&page=1'],
    ['GET /api?q=', eachEncoded('110105194912310021'), ''],
    ['GET /api?tel=', eachEncoded('13800138000'), '&page=1'],
    ['GET /api?tel=', fullWidthEncoded('13800138000'), ''],
  ])('masks %s…', (before, encoded, after) => {
    const text = `${before}${encoded}${after}`;
    for (const s of shown(text)) {
      expect(s).not.toContain(encoded.slice(0, 27));
      expect(s).not.toContain(encoded.slice(-36, -9));
      expect(s).not.toMatch(/19491231|0013/);
    }
  });

  it.each([
    'GET /api?t=%30%31&x=%3A%2F%2F',
    'GET /api?date=2024%2D01%2D01',
    `GET /api?n=${eachEncoded('12345')}`,
  ])('keeps %s in a log line', (text) => {
    expect(logged(text).field).toBe(text);
  });
});
