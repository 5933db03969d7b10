// An emoji a reader draws as one picture may be several code points: a family joined by zero-width
// joiners (👨‍👩‍👧), a hand and its skin tone (👍🏽), a flag of two regional indicators (🇨🇳) — a
// shop's name keyed in on a phone. The wrap broke inside such a sequence wherever the box ran out:
// after a joiner (one line ending in a dangling U+200D, the next starting 👧), between a hand and
// its tone, between the two halves of a flag, each half drawn as a letter in a box. A sequence now
// goes down to the next line whole (UAX #14 LB8a, LB30a, LB30b).
import { describe, expect, it } from 'vitest';
import { wrapInBox } from './fixtures.js';

const lines = (value: string, maxLines?: number): string[] => wrapInBox(value, maxLines).map((l) => l.text);

describe('an emoji sequence', () => {
  it.each([
    ['joined by zero-width joiners', '👨\u200D👩\u200D👧'],
    ['with a skin tone', '👍🏽'],
    ['of a flag', '🇨🇳'],
  ])('%s is never split between two lines', (_, emoji) => {
    for (let at = 1; at < 10; at++) {
      const value = `${'青'.repeat(at)}${emoji}${'海'.repeat(10 - at)}`;
      const laid = lines(value);
      expect(laid.join(''), value).toBe(value);
      expect(
        laid.some((l) => l.includes(emoji)),
        `${value}: ${laid.join(' / ')}`,
      ).toBe(true);
    }
  });

  it('of flags in a row may break between two flags, never inside one', () => {
    const indicators = (line: string) => [...line].filter((ch) => /\p{Regional_Indicator}/u.test(ch)).length;
    for (let at = 1; at < 10; at++) {
      const value = `${'青'.repeat(at)}🇨🇳🇭🇰🇲🇴${'海'.repeat(10 - at)}`;
      const laid = lines(value);
      expect(laid.join(''), value).toBe(value);
      for (const line of laid) expect(indicators(line) % 2, `${value}: ${laid.join(' / ')}`).toBe(0);
    }
    expect(lines('青青青青🇨🇳🇭🇰🇲🇴')).toEqual(['青青青青🇨🇳', '🇭🇰🇲🇴']);
  });
});
