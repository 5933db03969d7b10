/**
 * Discovery says when the cursor it suggests allows NULL: only a read from the start goes through
 * the NULL-cursor rows, so a row inserted later without an update time is read by no incremental
 * run (docs/connectors.md). Legacy tables declare their GXSJ nullable more often than not.
 */
import { describe, expect, it } from 'vitest';
import type { ColumnMeta } from '../../connectors/sql/dialect.js';
import { tableInfo } from '../../connectors/sql/discover.js';

function column(name: string, type: string, nullable: boolean, primaryKey = false): ColumnMeta {
  return { name, type, nullable, primaryKey, unique: primaryKey, leadsIndex: primaryKey };
}

const NOTE = /^cursor candidate `GXSJ` allows NULL: .*no incremental run.*licbridge run --full/;

describe('discover: a cursor candidate that allows NULL', () => {
  it('notes the suggested cursor when it allows NULL', () => {
    const info = tableInfo(
      'T_XKZ',
      [column('BH', 'char(20)', false, true), column('GXSJ', 'datetime', true)],
      2,
    );
    expect(info.candidateCursors[0]).toBe('GXSJ');
    expect(info.notes).toContainEqual(expect.stringMatching(NOTE));
  });

  it('says nothing of a NOT NULL cursor, nor of a nullable column that is not the suggestion', () => {
    const info = tableInfo(
      'T_XKZ',
      [
        column('BH', 'char(20)', false, true),
        column('GXSJ', 'datetime', false),
        column('FZRQ', 'char(8)', true),
      ],
      2,
    );
    expect(info.candidateCursors).toEqual(['GXSJ', 'FZRQ']);
    expect(info.notes ?? []).not.toContainEqual(expect.stringMatching(/allows NULL/));
  });
});
