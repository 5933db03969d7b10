/** An instant as text on a zone's wall clock (connectors/sql/zoned-text.ts), as list elements are written. */
import { describe, expect, it } from 'vitest';
import { zonedText } from '../../connectors/sql/zoned-text.js';

describe('zonedText', () => {
  it("writes the zone's wall clock with its offset that day", () => {
    const at = new Date('2024-02-29T16:30:00.123Z');
    expect(zonedText(at, 'Asia/Shanghai')).toBe('2024-03-01T00:30:00.123+08:00');
    expect(zonedText(at, 'America/Los_Angeles')).toBe('2024-02-29T08:30:00.123-08:00');
    expect(zonedText(new Date('2024-07-01T04:00:00Z'), 'America/Los_Angeles')).toBe(
      '2024-06-30T21:00:00.000-07:00',
    );
  });

  it('writes an instant of no offset as UTC text, and a local mean time to its second', () => {
    expect(zonedText(new Date('2024-02-29T16:30:00Z'), 'UTC')).toBe('2024-02-29T16:30:00.000Z');
    expect(zonedText(new Date('2024-01-15T16:30:00Z'), 'Europe/London')).toBe('2024-01-15T16:30:00.000Z');
    expect(zonedText(new Date('1890-01-01T00:00:00Z'), 'Asia/Shanghai')).toBe(
      '1890-01-01T08:05:43.000+08:05:43',
    );
  });

  it('is in Asia/Shanghai when given no zone', () => {
    expect(zonedText(new Date('2024-02-29T16:30:00Z'))).toBe('2024-03-01T00:30:00.000+08:00');
  });
});
