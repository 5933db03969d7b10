/**
 * A long run of percent-encoded text (a URL's query of Chinese words, a form's body) is read by the
 * shapes' passes in time growing with its length: what may stand between a number's digits was
 * read without bound (SEVEN_DIGITS, ENCODED_IN_NUMBER), so from each digit inside an escape the
 * rest of the run was read and given up again; 40 KB of `%E5%BC%A0` took 0.34 s, four times 20 KB's,
 * and 1 MB would take minutes. No time is measured: 1 MB ends within the test's own time. Numbers
 * parted by escapes and separators are masked as before. Made up, no one's names or numbers.
 */
import { describe, expect, it } from 'vitest';
import { maskLogShapes, maskNumberShapes } from '../../core/personal-shapes.js';

const encoded = '%E5%BC%A0'.repeat(1_000_000 / 9);

describe('a long run of percent-encoded text', () => {
  it('is left as it is by the shapes, log or not', () => {
    expect(maskNumberShapes(encoded)).toBe(encoded);
    expect(maskLogShapes(encoded)).toBe(encoded);
    expect(maskLogShapes(`${encoded}&tel=13800138000`)).toBe(`${encoded}&tel=*******8000`);
  });

  it.each([
    ['138%E2%80%8B0013%E2%80%8B8000', '*******8000'],
    ['110105%2019491231%20002X', '1101**%20********%20002X'],
    ['138  0013  8000', '***********8000'],
  ])('still masks %s', (text, masked) => {
    expect(maskLogShapes(text)).toBe(masked);
  });
});
