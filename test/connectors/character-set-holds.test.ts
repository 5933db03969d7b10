/**
 * Which spellings of a key a column's character set holds (charset.ts `characterSetHolds`), as
 * the look-up by key binds only those: a database refuses the whole look-up for one it cannot hold.
 */
import { describe, expect, it } from 'vitest';
import { characterSetHolds } from '../../connectors/repair/charset.js';

describe('characterSetHolds', () => {
  it('holds up to U+FFFF in utf8, utf8mb3 and ucs2, and everything in utf8mb4', () => {
    for (const set of ['utf8', 'utf8mb3', 'UTF8MB3', 'ucs2']) {
      const holds = characterSetHolds(set);
      expect(holds('中国003'), set).toBe(true);
      expect(holds('\uffff'), set).toBe(true);
      expect(holds('𠀀001'), set).toBe(false);
    }
    expect(characterSetHolds('utf8mb4')('𠀀001')).toBe(true);
    expect(characterSetHolds('gb18030')('𠀀001')).toBe(true);
  });
});
