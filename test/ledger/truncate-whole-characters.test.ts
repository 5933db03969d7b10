/**
 * Free text the ledger caps (a reminder gateway's or a driver's error message, 200 or 500 UTF-16
 * units) was cut at a fixed unit, which could fall inside a character outside the BMP: the stored
 * reason then held half a character, which UTF-8 cannot encode. The cut keeps whole characters.
 */
import { describe, expect, it } from 'vitest';
import { LONE_SURROGATE } from '../../core/lone-surrogate.js';
import { truncate } from '../../ledger/db.js';

const WIDE = '\u{20000}'; // two UTF-16 units

describe('truncate', () => {
  it('leaves out whole a character the cut would halve', () => {
    // Unit 196 (the last one kept of 200) is the first half of the wide character.
    const text = `${'a'.repeat(196)}${WIDE}${'b'.repeat(20)}`;
    const cut = truncate(text, 200);
    expect(LONE_SURROGATE.test(cut)).toBe(false);
    expect(cut).toBe(`${'a'.repeat(196)}...`);
  });

  it('keeps a wide character that fits whole', () => {
    const text = `${'a'.repeat(195)}${WIDE}${'b'.repeat(20)}`;
    expect(truncate(text, 200)).toBe(`${'a'.repeat(195)}${WIDE}...`);
  });

  it('leaves text within the cap as it is', () => {
    const text = `${'a'.repeat(198)}${WIDE}`;
    expect(truncate(text, 200)).toBe(text);
  });
});
