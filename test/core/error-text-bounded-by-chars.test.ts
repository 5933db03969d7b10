/**
 * safeErrorText bounds a text by characters, not UTF-16 units: a text of the limit's characters
 * stays whole though characters outside the BMP make it longer in units, and is only split into
 * characters when it is longer in units than the limit. One character more is cut.
 */
import { describe, expect, it } from 'vitest';
import { safeErrorText } from '../../core/error-text.js';

describe('safeErrorText bounded by characters', () => {
  it('keeps a text of the limit in characters whole, longer in units, and cuts one more', () => {
    const text = `refused ${'𠮷'.repeat(22)}`; // 30 characters, 52 units
    expect(safeErrorText(text, { bounded: 30 })).toBe(text);
    expect(safeErrorText(`${text}x`, { bounded: 30 })).toBe(`refused ${'𠮷'.repeat(19)}...`);
    expect(safeErrorText(`${text}x`, { bounded: 60 })).toBe(`${text}x`);
    expect(safeErrorText('a'.repeat(301))).toBe(`${'a'.repeat(297)}...`);
    expect(safeErrorText('a'.repeat(300))).toBe('a'.repeat(300));
  });

  it('hides a URL user, encoded text and numbers only where the text holds them, keeping its own stars', () => {
    expect(safeErrorText('connect to postgres://lb:pw@db/x failed')).toBe(
      'connect to postgres://***@db/x failed',
    );
    expect(safeErrorText('GET /holders/%E5%BC%A0 failed')).toBe('GET /holders/*** failed');
    expect(safeErrorText('timeout after 30 s')).toBe('timeout after 30 s');
    expect(safeErrorText('retry * 3 after *** 2 s')).toBe('retry * 3 after *** 2 s');
    expect(safeErrorText('job *** 13800138000')).toBe('job *** *******8000');
  });
});
