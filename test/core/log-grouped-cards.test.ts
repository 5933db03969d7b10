/**
 * A bank card's number printed in its groups (`6228 4800 1234 5671`, `6228-4800-1234-5671`, as a
 * receipt or a form shows it) went out whole in a log line: only a run of 16 to 19 digits was read
 * for one (core/person-in-runs.ts). Read so too, from a card's first digits and passing the Luhn
 * check, it is cut to its last four, the separators kept. And an ID number whose check char a URL's
 * query encodes (`%58` for X, `%78` for x) was cut by the digit rule and showed its end
 * (`1101*********1002%58`): read decoded as an encoded digit is. Made up, no one's numbers.
 */
import { describe, expect, it } from 'vitest';
import { maskLogShapes } from '../../core/personal-shapes.js';

describe('a card number in groups, logged', () => {
  it.each([
    ['card 6228 4800 1234 5671 declined', 'card **** **** **** 5671 declined'],
    ['card 6228-4800-1234-5671', 'card ****-****-****-5671'],
    ['4111 1111 1111 1111', '**** **** **** 1111'],
  ])('masks %s', (text, masked) => {
    expect(maskLogShapes(text)).toBe(masked);
  });

  it.each(['card 6228 4800 1234 5678 declined', 'batch 2024 0101 1234 5671', 'card 6228 4800-1234 5671'])(
    'keeps %s, no card (Luhn, issuer, one separator)',
    (text) => {
      expect(maskLogShapes(text)).toBe(text);
    },
  );
});

describe("an ID number's check char percent-encoded, logged", () => {
  it.each([
    ['sfzh=11010519491231002%58', 'sfzh=1101**********002X'],
    ['sfzh=11010519491231002%78&t=1', 'sfzh=1101**********002x&t=1'],
  ])('masks %s', (text, masked) => {
    expect(maskLogShapes(text)).toBe(masked);
  });

  it('keeps a size with an encoded X', () => {
    expect(maskLogShapes('size=10%58')).toBe('size=10%58');
  });
});
