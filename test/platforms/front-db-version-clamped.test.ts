/**
 * A `LICENSE_VERSION` read back smaller than written is told apart: a number column holds the
 * largest number it can (MySQL without strict mode clamps), a text column cut the version's digits.
 * The reason names the clamp only for the first, where the number read is the column's limit.
 */
import { describe, expect, it } from 'vitest';
import { COLUMNS } from '../../adapters/platforms/front-db/exchange-table.js';
import { differingColumns, versionClamped } from '../../adapters/platforms/front-db/verify-stored.js';

describe('front-db read-back: a version stored smaller than written', () => {
  it('is a clamp when the column hands back a smaller number, as a number or as decimal text', () => {
    expect(versionClamped(127, 200)).toBe('127');
    expect(versionClamped(255n, 300)).toBe('255');
    expect(versionClamped('99', 200)).toBe('99');
  });

  it('is no clamp for a text column that cut the digits, nor for a version stored as written', () => {
    expect(versionClamped('20', 200)).toBeUndefined();
    expect(versionClamped(200, 200)).toBeUndefined();
    expect(versionClamped('200 ', 200)).toBeUndefined();
  });

  it('compares a number the driver hands back by value', () => {
    const written = { [COLUMNS.version]: 200, [COLUMNS.opCode]: '01' };
    expect(differingColumns({ ...written, [COLUMNS.version]: 127 }, written)).toContain(COLUMNS.version);
    expect(differingColumns({ ...written, [COLUMNS.opCode]: 1 }, written)).not.toContain(COLUMNS.opCode);
    expect(differingColumns({ ...written }, written)).not.toContain(COLUMNS.version);
  });
});
