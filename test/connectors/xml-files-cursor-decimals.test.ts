/**
 * Decimal cursors of an export (an update time written as a number, `20240301080005.1201`) were
 * ordered as doubles: past 15-16 digits two different times are one double, so they tied and the
 * file name decided which record of a key was the latest — the older state could win, and every
 * re-read kept it. They are compared digit by digit now, as integers already were.
 */
import { describe, expect, it } from 'vitest';
import { compareCursorValues, compareRecordOrders } from '../../connectors/xml-files/order.js';

describe('xml-files: decimal cursors compared exactly', () => {
  it('tells apart decimals a double cannot', () => {
    expect(Number('20240301080005.1201')).toBe(Number('20240301080005.1202'));
    expect(compareCursorValues('20240301080005.1201', '20240301080005.1202')).toBeLessThan(0);
    expect(compareCursorValues('20240301080005.1202', '20240301080005.1201')).toBeGreaterThan(0);
    expect(compareCursorValues('12345678901234567.5', '12345678901234568')).toBeLessThan(0);
  });

  it('keeps the order of ordinary decimals, integers and signs', () => {
    const sorted = ['-10.5', '-10', '-9.99', '0', '0.000001', '1', '1.5', '1.50001', '2', '10', '10.25'];
    const shuffled = [...sorted].reverse();
    expect(shuffled.sort(compareCursorValues)).toEqual(sorted);
    expect(compareCursorValues('1.50', '1.5')).toBe(0);
    expect(compareCursorValues('007', '7.0')).toBe(0);
  });

  it('lets the newer record of a key win whatever the file names say', () => {
    const older = { cursor: '20240301080005.1201', file: 'b.xml', index: 0 };
    const newer = { cursor: '20240301080005.1202', file: 'a.xml', index: 0 };
    expect(compareRecordOrders(newer, older)).toBeGreaterThan(0);
  });
});
