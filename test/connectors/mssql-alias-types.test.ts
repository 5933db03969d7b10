/**
 * SQL Server columns of an alias type (`CREATE TYPE UpdTime FROM smalldatetime`), as legacy
 * schemas declare their times of change and license numbers. The catalog statement named a column's
 * type by the sys.types row of its user_type_id: the alias's own name. A SMALLDATETIME cursor so
 * declared took its lag bound at now - lagMs, as a time kept to the millisecond, where a value
 * stands for the half minute either side of it (mssql-smalldatetime-lag.test.ts): a row written
 * later in that half minute with a lower key lay behind the checkpoint for good. One whose alias
 * names no date or time (`TGX`) was no date/time at all: a lag window on it was refused. A column
 * is now described by the system type its alias stands for (its system_type_id), and read as a
 * column of that type is.
 *
 * No SQL Server runs here: the stand-in answers the catalog statement as SQL Server does for the
 * sys.types row the statement joins, and the SQL of each page is the mssql client's own.
 */
import { describe, expect, it } from 'vitest';
import { type Cell, catalogRow, intCell, readStandInPages, varcharCell } from './mssql-stand-in.js';

/** sys.types rows by user_type_id: a system type's is its system_type_id; an alias's is its own. */
const TYPES = new Map<number, { name: string; systemTypeId: number; userDefined: boolean }>([
  [58, { name: 'smalldatetime', systemTypeId: 58, userDefined: false }],
  [56, { name: 'int', systemTypeId: 56, userDefined: false }],
  [61, { name: 'datetime', systemTypeId: 61, userDefined: false }],
  [257, { name: 'UpdTime', systemTypeId: 58, userDefined: true }],
  [258, { name: 'TGX', systemTypeId: 61, userDefined: true }],
]);
/** The tables' columns: ID int primary key, GXSJ UpdTime (dbo.T_XKZ) or TGX (dbo.T_XKZ2). */
const columnsOf = (table: unknown) => [
  { name: 'ID', userTypeId: 56, pk: 1 },
  { name: 'GXSJ', userTypeId: /T_XKZ2/.test(String(table)) ? 258 : 257, pk: 0 },
];

/** The name the catalog statement gives a column's type: that of the sys.types row it joins `t` on. */
function typeName(sql: string, userTypeId: number): string {
  const on = /JOIN sys\.types t ON t\.user_type_id =\s*([\s\S]+?)\s+JOIN sys\.objects/.exec(sql)?.[1];
  if (on === undefined) throw new Error('the catalog statement joins sys.types as t');
  const u = TYPES.get(userTypeId);
  if (!u) throw new Error(`no sys.types row ${userTypeId}`);
  if (on === 'c.user_type_id') return u.name;
  // The alias resolved: a type that is not CLR (none here) by its system_type_id, a system type's own.
  const resolved = /CASE WHEN u\.is_assembly_type = 0 THEN u\.system_type_id\s+ELSE u\.user_type_id END/;
  if (!resolved.test(on)) throw new Error(`a join the stand-in does not model: ${on}`);
  return TYPES.get(u.systemTypeId)?.name ?? '';
}

const answer =
  (sent: string[]) =>
  (sql: string, values: unknown[]): Cell[][] => {
    sent.push(sql);
    if (/sys\.columns/.test(sql))
      return columnsOf(values[0]).map((c) => catalogRow(c.name, typeName(sql, c.userTypeId), c.pk));
    // The rows without a key or cursor, and the rows after the one row's checkpoint: none.
    if (/\[ID\] is null|\[GXSJ\] is null|\[GXSJ\] > /.test(sql) || !/^select top/i.test(sql)) return [];
    const at = new Date(Date.UTC(2024, 2, 1, 8, 1));
    return [
      [
        intCell('ID', 1),
        { value: at, metadata: { colName: 'GXSJ', type: {} } },
        varcharCell('__lb_cursor_text', '2024-03-01 08:01:00.000'),
      ],
    ];
  };

describe('a SQL Server cursor of an alias type over SMALLDATETIME', () => {
  it('is read under the lag window with the bound 30 s further back, as a SMALLDATETIME', async () => {
    const sent: string[] = [];
    const pages = await readStandInPages(
      { table: 'dbo.T_XKZ', key: 'ID', cursor: 'GXSJ', lagMs: 5000 },
      answer(sent),
    );
    expect(pages.flatMap((p) => p.rows.map((r) => r.key))).toEqual(['1']);
    const page = sent.find((sql) => /^select top/i.test(sql) && /\[GXSJ\] is not null/.test(sql));
    expect(page).toMatch(
      /\[GXSJ\] <= DATEADD\(second, -30, DATEADD\(millisecond, @p\d+, SYSDATETIME\(\)\)\)/,
    );
  });

  it('is a date/time whatever its alias is called: DATETIME under `TGX` takes its lag window, 2 ms back', async () => {
    const sent: string[] = [];
    const bound: unknown[] = [];
    const pages = await readStandInPages(
      { table: 'dbo.T_XKZ2', key: 'ID', cursor: 'GXSJ', lagMs: 5000 },
      (sql, values) => {
        if (/\[GXSJ\] <= DATEADD/.test(sql))
          bound.push(values[Number(/DATEADD\(millisecond, @p(\d+)/.exec(sql)?.[1])]);
        return answer(sent)(sql, values);
      },
    );
    expect(pages.flatMap((p) => p.rows.map((r) => r.key))).toEqual(['1']);
    const page = sent.find((sql) => /^select top/i.test(sql) && /\[GXSJ\] is not null/.test(sql));
    expect(page).toMatch(/\[GXSJ\] <= DATEADD\(millisecond, @p\d+, SYSDATETIME\(\)\)/);
    expect(bound[0]).toBe(-5002);
  });
});
