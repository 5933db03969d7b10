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

  it('writes an instant of no offset as UTC text', () => {
    expect(zonedText(new Date('2024-02-29T16:30:00Z'), 'UTC')).toBe('2024-02-29T16:30:00.000Z');
    expect(zonedText(new Date('2024-01-15T16:30:00Z'), 'Europe/London')).toBe('2024-01-15T16:30:00.000Z');
  });

  it("writes a local mean time's offset to the minute, the same instant on the zone's day", () => {
    // Beijing's local mean time is +08:05:43, which RFC 3339 does not write and no Date parses.
    expect(zonedText(new Date('1890-01-01T00:00:00Z'), 'Asia/Shanghai')).toBe(
      '1890-01-01T08:05:00.000+08:05',
    );
    expect(zonedText(new Date('1899-12-31T16:00:00Z'), 'Asia/Shanghai')).toBe(
      '1900-01-01T00:05:00.000+08:05',
    );
    // 00:00:20 local mean time: 43 seconds earlier is the day before, 17 seconds later is not.
    expect(zonedText(new Date('1899-12-31T15:54:37Z'), 'Asia/Shanghai')).toBe(
      '1900-01-01T00:00:37.000+08:06',
    );
    // West of Greenwich: Monrovia's -00:44:30 until 1972.
    expect(zonedText(new Date('1920-01-01T00:00:00Z'), 'Africa/Monrovia')).toBe(
      '1919-12-31T23:15:00.000-00:45',
    );
    expect(zonedText(new Date('1920-01-01T00:44:40Z'), 'Africa/Monrovia')).toBe(
      '1920-01-01T00:00:40.000-00:44',
    );
  });

  it('writes the ends of the Date range, where the wall clock is past it', () => {
    // Los Angeles' local mean time is -07:52:58: the wall clock two seconds earlier, at -07:53.
    expect(zonedText(new Date(8.64e15), 'Asia/Shanghai')).toBe('+275760-09-13T08:00:00.000+08:00');
    expect(zonedText(new Date(-8.64e15), 'America/Los_Angeles')).toBe('-271821-04-19T16:07:00.000-07:53');
    expect(zonedText(new Date('0001-01-01T00:00:00Z'), 'Asia/Shanghai')).toBe(
      '0001-01-01T08:05:00.000+08:05',
    );
  });

  it("is text a Date parses as the same instant, on the zone's day, in every zone and era", () => {
    const zones = [
      'Asia/Shanghai',
      'Asia/Kolkata',
      'America/St_Johns',
      'Europe/Amsterdam',
      'Africa/Monrovia',
      'Pacific/Chatham',
    ];
    for (const timeZone of zones) {
      const day = new Intl.DateTimeFormat('en-US', {
        timeZone,
        era: 'short',
        year: 'numeric',
        month: 'numeric',
        day: 'numeric',
      });
      for (let ms = -8.64e15; ms <= 8.64e15; ms += 8.64e15 / 199 + 7_919) {
        for (const at of [new Date(ms), new Date(Math.min(ms + 12_345_000, 8.64e15))]) {
          const text = zonedText(at, timeZone);
          expect(new Date(text).getTime(), `${at.toISOString()} ${timeZone}: ${text}`).toBe(at.getTime());
          const written = /^([+-]?\d+)-(\d{2})-(\d{2})T/.exec(text);
          const parts = Object.fromEntries(day.formatToParts(at).map((p) => [p.type, p.value]));
          const year = parts.era === 'BC' ? 1 - Number(parts.year) : Number(parts.year);
          expect(
            [Number(written?.[1]), Number(written?.[2]), Number(written?.[3])],
            `${text} ${timeZone}`,
          ).toEqual([year, Number(parts.month), Number(parts.day)]);
        }
      }
    }
  });

  it('is in Asia/Shanghai when given no zone', () => {
    expect(zonedText(new Date('2024-02-29T16:30:00Z'))).toBe('2024-03-01T00:30:00.000+08:00');
  });
});
