/**
 * A long run of percent-encoded text (a URL's query of Chinese words, a form's body) read in time
 * growing with its length, not its square: what may stand between a number's digits was read
 * without bound (SEVEN_DIGITS, ENCODED_IN_NUMBER), so from each digit inside an escape the rest of
 * the run was read, and given up, again: 200 KB of `%E5%BC%A0` took 10.5 s (maskLogShapes), 1 MB
 * past the test's timeout. Numbers parted by escapes are masked in a long text as in a short one.
 * Made up, no one's names.
 */
import { describe, expect, it } from 'vitest';
import { maskLogShapes, maskNumberShapes } from '../../core/personal-shapes.js';
import { scrubPersonal } from '../../core/scrub.js';

const SIZE = 1_000_000;
const encoded = '%E5%BC%A0'.repeat(Math.ceil(SIZE / 9));

describe('a long run of percent-encoded text', () => {
  it('is read once by maskLogShapes, the numbers in it masked', () => {
    const text = `${encoded}&tel=138%E2%80%8B0013%E2%80%8B8000&${encoded}`;
    const masked = maskLogShapes(text);
    expect(masked).toContain('&tel=*******8000&');
    expect(masked.length).toBeGreaterThan(2 * SIZE);
  });

  it('is read once by maskNumberShapes and scrubPersonal', () => {
    expect(maskNumberShapes(encoded)).toBe(encoded);
    expect(scrubPersonal(encoded, [], () => '***')).toBe(encoded);
  });

  it.each([
    ['138%E2%80%8B0013%E2%80%8B8000', '*******8000'],
    ['110105%20%E2%80%8B19491231%20002X', '1101**%20********%20002X'],
    ['138  0013  8000', '***********8000'],
  ])('still masks %s', (text, masked) => {
    expect(maskLogShapes(text)).toBe(masked);
  });
});
