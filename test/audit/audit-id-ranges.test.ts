/**
 * The version ids verify notes as it walks the chain are held as ranges: with many gaps between
 * the ids recorded (rolled-back pages leave one each in a PostgreSQL sequence) they must stay
 * bounded, and never hold an id as recorded that was not.
 */
import { describe, expect, it } from 'vitest';
import { IdRanges } from '../../ledger/audit-id-ranges.js';

describe('IdRanges', () => {
  it('holds at most twice its cap of ranges however many gaps, ending its window below those dropped', () => {
    const ranges = new IdRanges(1, 8);
    let most = 0;
    // Every other id: 1,000 ranges that never merge.
    for (let id = 2; id <= 2000; id += 2) {
      ranges.add(id, id);
      most = Math.max(most, ranges.held);
    }
    expect(ranges.has(2)).toBe(true);
    expect(most).toBeLessThanOrEqual(16);
    expect(ranges.limit).toBeLessThan(2000);
    for (let id = 1; id <= ranges.limit; id += 1) expect(ranges.has(id)).toBe(id % 2 === 0);
    // Past the window nothing is held: those ids are another walk's.
    expect(ranges.has(ranges.limit + 1)).toBe(false);
    expect(ranges.has(2000)).toBe(false);
  });

  it('notes only the ids of its window, from its floor on', () => {
    const ranges = new IdRanges(100, 8);
    ranges.add(90, 105);
    ranges.add(50, 60);
    expect(ranges.has(99)).toBe(false);
    expect(ranges.has(100)).toBe(true);
    expect(ranges.has(105)).toBe(true);
    expect(ranges.has(55)).toBe(false);
    expect(ranges.limit).toBe(Number.MAX_SAFE_INTEGER);
  });

  it('merges ranges that touch, in any order', () => {
    const ranges = new IdRanges(1, 4);
    for (let id = 100; id >= 1; id -= 1) ranges.add(id, id);
    expect(ranges.has(1)).toBe(true);
    expect(ranges.has(100)).toBe(true);
    expect(ranges.has(101)).toBe(false);
    expect(ranges.held).toBe(1);
    expect(ranges.limit).toBe(Number.MAX_SAFE_INTEGER);
  });

  it('refuses a cap below 2, naming it', () => {
    expect(() => new IdRanges(1, 1)).toThrow('audit: expected `cap` to be an integer of at least 2, got `1`');
  });
});
