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

describe('characterSetHolds: Windows-1252', () => {
  // 0x81, 0x8D, 0x8F, 0x90 and 0x9D: unassigned in Windows-1252.
  const unassigned = ['\x81', '\x8d', '\x8f', '\x90', '\x9d'];

  it("as MySQL's latin1 holds it: the five unassigned bytes as U+0081 …", () => {
    const holds = characterSetHolds('windows-1252');
    for (const c of unassigned) expect(holds(`a${c}`), c).toBe(true);
    expect(holds('ÖÐ¹ú€‚003')).toBe(true);
    expect(holds('\x80')).toBe(false);
  });

  it("as PostgreSQL's WIN1252 holds it: without them, which it refuses (22P05)", () => {
    const holds = characterSetHolds('WIN1252');
    for (const c of unassigned) expect(holds(`a${c}`), c).toBe(false);
    expect(holds('ÖÐ¹ú€‚003')).toBe(true);
    expect(holds('\x80')).toBe(false);
    expect(holds('中国003')).toBe(false);
  });
});
