import { describe, expect, it } from 'vitest';
import { localDate } from '../../core/local-date.js';

describe('localDate, asked for on every row', () => {
  it('turns the day at the zone’s midnight, to the millisecond, asked in any order', () => {
    const before = new Date('2026-03-01T15:59:59.999Z');
    const after = new Date('2026-03-01T16:00:00.000Z');
    expect(localDate('Asia/Shanghai', before)).toBe('2026-03-01');
    expect(localDate('Asia/Shanghai', after)).toBe('2026-03-02');
    expect(localDate('Asia/Shanghai', before)).toBe('2026-03-01');
    expect(localDate('UTC', after)).toBe('2026-03-01');
    expect(localDate('Asia/Shanghai', after)).toBe('2026-03-02');
  });

  it('turns it at a midnight whose offset has seconds (local mean time before 1901)', () => {
    // Shanghai's local mean time was +08:05:43: midnight of 1900-01-02 is 15:54:17 UTC the day before.
    expect(localDate('Asia/Shanghai', new Date('1900-01-01T15:54:16.999Z'))).toBe('1900-01-01');
    expect(localDate('Asia/Shanghai', new Date('1900-01-01T15:54:17.000Z'))).toBe('1900-01-02');
  });

  it('gives the same day for every instant of one second', () => {
    for (let ms = 0; ms < 1000; ms += 111) {
      expect(localDate('Asia/Shanghai', new Date(Date.UTC(2026, 0, 31, 15, 59, 59, ms)))).toBe('2026-01-31');
    }
  });
});
