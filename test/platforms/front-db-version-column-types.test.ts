/**
 * `LICENSE_VERSION`'s type as each database's catalog lists it, against the versions licbridge
 * writes (1 to 999): refused where it cannot hold them, passed where it can or where the catalog
 * says nothing of its limit (Oracle's `NUMBER` without precision, an `INTEGER`).
 */
import { describe, expect, it } from 'vitest';
import { type ColumnInfo, checkVersionColumn } from '../../adapters/platforms/front-db/exchange-widths.js';

const check = {
  target: 'city',
  client: 'oracle' as const,
  table: 'UP_LIC_DATA',
  dataSource: 'unit',
  deadline: { remainingMs: () => 1000, cancel: false },
};
const refusal = (column: ColumnInfo): string | undefined => {
  try {
    checkVersionColumn({ LICENSE_VERSION: column }, check);
    return undefined;
  } catch (e) {
    return (e as Error).message;
  }
};

describe('front-db open: LICENSE_VERSION type as the catalogs list it', () => {
  it('refuses the types that cannot hold version 999, naming the type and its limit', () => {
    expect(refusal({ type: 'NUMBER', precision: 2, scale: 0, maxLength: 0 })).toContain(
      'is a number(2,0), which holds no number above 99',
    );
    expect(refusal({ type: 'tinyint', precision: 3, scale: 0 })).toContain(
      'is a tinyint, which holds no number above 255',
    );
    expect(refusal({ type: 'character varying', maxLength: 2 })).toContain(
      'is a character varying of 2 characters, which holds no number above 99',
    );
    expect(refusal({ type: 'VARCHAR2', maxLength: 1, charUsed: 'B' })).toContain(
      'is a varchar2 of 1 characters, which holds no number above 9',
    );
  });

  it('passes the types that hold it, and those whose limit the catalog does not give', () => {
    for (const column of [
      { type: 'NUMBER', precision: null, scale: null, maxLength: 0 },
      { type: 'NUMBER', precision: 3, scale: 0, maxLength: 0 },
      { type: 'integer', precision: 32, scale: 0 },
      { type: 'smallint', precision: 16, scale: 0 },
      { type: 'int', precision: 10, scale: 0 },
      { type: 'FLOAT', precision: 126, scale: null },
      { type: 'nvarchar', maxLength: 3 },
      {},
    ])
      expect(refusal(column)).toBeUndefined();
  });
});
