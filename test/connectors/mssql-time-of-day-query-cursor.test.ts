/**
 * A SQL Server query stream whose cursor is a `time` column is refused as a table stream with that
 * cursor is (time-of-day-cursor.ts), before a page is read: the query's column metadata, which
 * tedious sends with the probe that reads none of its rows (column-list.ts), names the type. It was
 * read, ordered by the time of day alone, and a row changed the next morning lay behind a
 * checkpoint at 20:00 for good.
 *
 * No SQL Server runs here: a stand-in answers each statement as tedious hands it over
 * (mssql-stand-in.ts), the probe with one row of NULLs described by each column's metadata.
 */
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { type Cell, intCell, readStandInPages, varcharCell } from './mssql-stand-in.js';

const require = createRequire(import.meta.url);
const { TYPE } = require('tedious/lib/data-type') as { TYPE: Record<number, { name: string }> };

/** A GXSJ cell of TDS type `type` (0x29 time, 0x2a datetime2) at scale 7, as tedious describes it. */
const gxsjCell = (type: number, value: Date | null): Cell => ({
  value,
  metadata: { colName: 'GXSJ', type: TYPE[type], scale: 7 },
});

const at = (hour: number): Date => new Date(Date.UTC(1970, 0, 1, hour));

/** SQL Server answering the statements of `SELECT ID, GXSJ FROM dbo.T_SJ`, GXSJ of TDS type `type`. */
function server(type: number) {
  return (sql: string): Cell[][] => {
    if (/^SELECT lb_c\.\*/.test(sql)) return [[{ ...intCell('ID', 0), value: null }, gxsjCell(type, null)]];
    if (/is null/i.test(sql)) return [];
    // Each row with its cursor as the page selects it as text (cursor-text.ts).
    return [8, 20].map((hour, i) => [
      intCell('ID', i + 1),
      gxsjCell(type, at(hour)),
      varcharCell('__lb_cursor_text', `${String(hour).padStart(2, '0')}:00:00.0000000`),
    ]);
  };
}

const stream = {
  table: 'licenses',
  key: 'ID',
  keyUnique: true,
  cursor: 'GXSJ',
  query: 'SELECT ID, GXSJ FROM dbo.T_SJ',
};

describe('a SQL Server query stream with a time-of-day cursor', () => {
  it('is refused before a page is read, naming the source, stream, column and type', async () => {
    const sent: string[] = [];
    await expect(readStandInPages(stream, server(0x29), sent)).rejects.toMatchObject({
      code: 'LB_SOURCE_SCHEMA',
      message: expect.stringMatching(
        /^source market-food: cursor column `GXSJ` of stream `licenses` is `time\(7\)`, a time of day without a date: .*a date-and-time column/,
      ),
    });
    expect(sent.filter((s) => /^select top/i.test(s))).toEqual([]);
  });

  it('is read where the query gives a date-and-time (datetime2)', async () => {
    const pages = await readStandInPages(stream, server(0x2a));
    expect(pages.flatMap((p) => p.rows.map((r) => r.key))).toEqual(['1', '2']);
  });
});
