/**
 * A re-read row that fails as its open record says leaves the record as it is
 * (quarantine-recheck.ts `failsAsBefore`): as it says whole, not by its codes only, or a row
 * failing with the same code on another field or value kept a record naming the old ones.
 */
import { describe, expect, it } from 'vitest';
import { failsAsBefore } from '../../pipelines/quarantine-recheck.js';

const reason = {
  code: 'LB_MAP_DATE',
  message: 'date text matches none of yyyyMMdd',
  path: 'issuedOn',
  column: 'FZRQ',
};

describe('a re-read row failing as before', () => {
  it('is the same reasons whole, in any order, however often', () => {
    const other = { code: 'LB_MAP_REQUIRED', message: 'missing', path: 'holder.name' };
    expect(failsAsBefore([reason, other], [other, reason, reason])).toBe(true);
  });

  it('is not the same code on another field, column, value or message', () => {
    expect(failsAsBefore([reason], [{ ...reason, path: 'validUntil' }])).toBe(false);
    expect(failsAsBefore([reason], [{ ...reason, column: 'YXQZ' }])).toBe(false);
    expect(failsAsBefore([reason], [{ ...reason, value: '2021.3.15' }])).toBe(false);
    expect(
      failsAsBefore([reason], [{ ...reason, message: 'date text matches none of yyyyMMdd, yyyy-M-d' }]),
    ).toBe(false);
  });

  it('is nothing without an open record', () => {
    expect(failsAsBefore(undefined, [reason])).toBe(false);
  });
});
