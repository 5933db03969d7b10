// A run of closing marks after a word that is all its line holds (`ABCDEFGHI。。` in a box a little
// wider than the word): one mark hangs, and the second must not start the next line (避头). With
// no place before it where the line may break but inside the word, the run goes down with the
// word's last letter, as it went before words were kept whole (face-hanging-punctuation).
import { describe, expect, it } from 'vitest';
import { NO_LINE_START } from '../../adapters/documents/face/text-measure.js';
import { wrapInBox } from './fixtures.js';

const lines = (value: string, maxLines?: number): string[] => wrapInBox(value, maxLines).map((l) => l.text);

describe('a run of closing marks after a word that fills its line', () => {
  it('goes down with the last letter, no line starting with a mark', () => {
    for (const value of ['青AAAAAAAAA。。', '青AAAAAAAAA）。', 'AAAAAAAAA、、海']) {
      const laid = lines(value);
      expect(laid.join(''), value).toBe(value);
      for (const line of laid) expect(NO_LINE_START.has(line[0] as string), laid.join(' / ')).toBe(false);
    }
    expect(lines('青AAAAAAAAA。。')).toEqual(['青', 'AAAAAAAA', 'A。。']);
  });
});
