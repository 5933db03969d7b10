/**
 * `before`/`after` on a date text that names its offset (`2024-02-29T16:00:00Z`, as an XML export's
 * xs:dateTime or a JSON timestamp writes it): the text is an instant, and its day is the one in
 * China Standard Time, as a zoned instant from a driver takes it (`2024-03-01`), not the day
 * written before the `T` (`2024-02-29`, a day early for every time between 00:00 and 08:00 in
 * Beijing). A text without an offset is a wall-clock time: its day is the one written.
 */
import { describe, expect, it } from 'vitest';
import { conditionDay } from '../../mappings/condition.js';

describe('conditionDay of a date text with an offset', () => {
  it('takes the day in China Standard Time', () => {
    expect(conditionDay('2024-02-29T16:00:00Z')).toBe('2024-03-01');
    expect(conditionDay('2024-02-29T16:00:00.123Z')).toBe('2024-03-01');
    expect(conditionDay('2024-02-29 16:00:00+00:00')).toBe('2024-03-01');
    expect(conditionDay('2024-02-29T20:30:00-05:00')).toBe('2024-03-01');
    expect(conditionDay('2024-03-01T07:59:59+0800')).toBe('2024-03-01');
    expect(conditionDay('2024-02-29T15:59:59Z')).toBe('2024-02-29');
    expect(conditionDay('2024/2/29 16:00Z')).toBe('2024-03-01');
  });

  it('a wall-clock text keeps the day written, whatever its time', () => {
    expect(conditionDay('2024-02-29T23:00:00')).toBe('2024-02-29');
    expect(conditionDay('2024-02-29 16:00')).toBe('2024-02-29');
    expect(conditionDay('20240229 01:00:00')).toBe('2024-02-29');
  });

  it('an offset on no real day or time is no day', () => {
    expect(conditionDay('2024-02-30T16:00:00Z')).toBeUndefined();
    expect(conditionDay('2024-02-29T25:00:00Z')).toBeUndefined();
  });
});
