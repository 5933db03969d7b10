/**
 * A log line of many card numbers reads its license identifiers once, not once for each card: at
 * 6c7f09e7 each card read the whole line again, and a line of 8,000 cards (136 KB) took 600 ms
 * where cbda075f took 38. Counted, not timed: the line is searched for the identifiers' root and
 * matched against their pattern as many times with 50 cards as with 5.
 */
import { describe, expect, it, vi } from 'vitest';
import { maskLogShapes } from '../../core/personal-shapes.js';

// Made up, Luhn right: a UnionPay card; an identifier with a card's digits as its serial.
const CARD = '6207472555116663';
const LICENSE = `1.2.156.3005.2.11370200MB12345674001.11370211MB12345672.${CARD}.001.F`;

function identifierReads(text: string): { masked: string; reads: number } {
  const includes = vi.spyOn(String.prototype, 'includes');
  const matchAll = vi.spyOn(String.prototype, 'matchAll');
  try {
    const masked = maskLogShapes(text);
    const reads =
      includes.mock.calls.filter(([what]) => String(what).startsWith('1.2.156.3005.2')).length +
      matchAll.mock.calls.filter(([what]) => what instanceof RegExp && what.source.includes('3005')).length;
    return { masked, reads };
  } finally {
    vi.restoreAllMocks();
  }
}

describe('license identifiers in a log line of many card numbers', () => {
  it('are read as often for 50 cards as for 5, without one, before the cards and after them', () => {
    const line = (n: number, around: (cards: string) => string) =>
      around(Array.from({ length: n }, () => CARD).join(' '));
    for (const around of [
      (cards: string) => cards,
      (cards: string) => `${LICENSE} ${cards}`,
      (cards: string) => `${cards} ${LICENSE}`,
    ]) {
      const few = identifierReads(line(5, around));
      const many = identifierReads(line(50, around));
      expect(many.masked.split('************6663')).toHaveLength(51);
      expect(many.reads).toBe(few.reads);
    }
  });

  it('keep a card serial inside one whole, and cut the cards around it', () => {
    const { masked } = identifierReads(`card ${CARD} ${LICENSE} card ${CARD}`);
    expect(masked).toBe(`card ************6663 ${LICENSE} card ************6663`);
  });
});
