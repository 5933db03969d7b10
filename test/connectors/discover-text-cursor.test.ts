/**
 * Discovery suggests a column named as a time of last change (`GXSJ`) as the cursor whatever its
 * type, and legacy schemas often keep it as text (`varchar(19)`). A text cursor gets no clock
 * bound and no lag window: the suggestion now says what that gives up (docs/connectors.md, A text
 * cursor), so the department is asked for a date/time column before the first run. A column of a
 * time-of-day type is suggested no more: a run refuses it as a cursor.
 */
import { describe, expect, it } from 'vitest';
import type { ColumnMeta } from '../../connectors/sql/dialect.js';
import { tableInfo } from '../../connectors/sql/discover.js';

function column(name: string, type: string, primaryKey = false): ColumnMeta {
  return { name, type, nullable: false, primaryKey, unique: primaryKey, leadsIndex: true };
}

const NOTE =
  /^cursor candidate `GXSJ` is `varchar\(19\)`, text: no clock bounds it .*9999-12-31.*moves the checkpoint past every row changed after it.*committed late with an earlier value.*licbridge run --full/;

describe('discover: a text cursor candidate', () => {
  it('says what the suggested text cursor gives up', () => {
    const info = tableInfo('T_XKZ', [column('BH', 'char(20)', true), column('GXSJ', 'varchar(19)')], 2);
    expect(info.candidateCursors[0]).toBe('GXSJ');
    expect(info.notes).toContainEqual(expect.stringMatching(NOTE));
  });

  it('says nothing of a date/time suggestion, nor of a text column that is not the suggestion', () => {
    const info = tableInfo(
      'T_XKZ',
      [column('BH', 'char(20)', true), column('GXSJ', 'datetime'), column('FZRQ', 'char(8)')],
      2,
    );
    expect(info.candidateCursors).toEqual(['GXSJ', 'FZRQ']);
    expect(info.notes ?? []).not.toContainEqual(expect.stringMatching(/text: no clock/));
  });

  it('suggests no column of a time-of-day type', () => {
    const info = tableInfo(
      'T_XKZ',
      [column('BH', 'char(20)', true), column('GXRQ', 'date'), column('GXSJ', 'time without time zone')],
      2,
    );
    expect(info.candidateCursors).toEqual(['GXRQ']);
  });
});
