/**
 * A SQL Server FLOAT or REAL cursor under a key that is not unique: nothing a page boundary passes
 * is dropped. A full page takes in every row level with its last (tied-rows.ts), matched by the
 * rows' whole content, and rows of one key are settled within the page (repeated-keys.ts): rows of
 * one key and one cursor value with different content are all passed on, quarantined as key
 * duplicates; a key's row at an older cursor gives way to its row at a newer one, however close
 * the two values. Rows of other keys at neighbouring values (one unit in the last place apart)
 * are each read once. The cursor may be a column, NULL at a page's end, or an expression of a
 * query (`CAST(MJ AS float) AS cur`): tedious reports its type either way (cursor-text.ts).
 *
 * With the checkpoint text SQL Server prints for FLOAT and REAL (six digits), the rows level with
 * a page's last were looked for at the printed value, where there were none, and the next page
 * began after it: every row of this table above the first page's was passed over.
 *
 * No SQL Server runs here: a stand-in answers each statement as SQL Server would for the select
 * list and the bound checkpoint it is sent (mssql-stand-in.ts).
 */
import { describe, expect, it } from 'vitest';
import { decodeResumePoint } from '../../connectors/key-position.js';
import { singleValue } from '../../connectors/sql/single-float.js';
import {
  type Cell,
  floatCell,
  intCell,
  nextUp,
  readStandInPages,
  styleZero,
  varcharCell,
} from './mssql-stand-in.js';

interface Row {
  id: number;
  value: number | null;
  note: string;
}

/**
 * ID int (not unique, leading an index), the cursor, NOTE varchar(10). Rows of one key and one
 * cursor value (NULL, then `v`) at a page's end, neighbours `v` and `w` of other keys, and key 7
 * at `v` (older) and `w`.
 */
function tableRows(v: number, w: number): Row[] {
  return [
    { id: 1, value: null, note: 'n1' },
    { id: 2, value: null, note: 'a' },
    { id: 2, value: null, note: 'b' },
    { id: 3, value: v, note: 'a' },
    { id: 4, value: v, note: 'a' },
    { id: 4, value: v, note: 'b' },
    { id: 4, value: v, note: 'c' },
    { id: 7, value: v, note: 'old' },
    { id: 5, value: w, note: 'a' },
    { id: 6, value: w, note: 'a' },
    { id: 7, value: w, note: 'new' },
  ];
}

const catalogRow = (name: string, type: string, leads: number): Cell[] => [
  varcharCell('name', name),
  varcharCell('type', type),
  intCell('nullable', 1),
  intCell('pk', 0),
  intCell('uq', 0),
  intCell('leads', leads),
  intCell('isView', 0),
];

/** The `@pN` parameters a fragment of `sql` names, as bound. */
const params = (fragment: string, values: unknown[]) =>
  [...fragment.matchAll(/@p(\d+)/g)].map((m) => values[Number(m[1])]);

/**
 * SQL Server answering the statements of a stream over `rows`, its cursor `column` (`type` in the
 * catalog, `bytes` wide on the wire; `read`: a bound checkpoint text as the server converts it to
 * compare). The cursor text is what CONVERT style 121 prints for it: style 0, six digits.
 */
function answer(t: {
  column: string;
  type: string;
  bytes: 4 | 8;
  rows: readonly Row[];
  read(text: unknown): number;
}) {
  const c = `\\[${t.column}\\]`;
  return (sql: string, values: unknown[]): Cell[][] => {
    if (/sys\.columns/.test(sql))
      return [
        catalogRow('ID', 'int', 1),
        catalogRow(t.column, t.type, 0),
        catalogRow('NOTE', 'varchar(10)', 0),
      ];
    // Other statements (the table list), and the rows without a key: none.
    if (!/T_XKZ/.test(sql) || /\(\[ID\] is null\)/.test(sql)) return [];
    let rows = [...t.rows];
    if (new RegExp(`${c} is null`).test(sql)) rows = rows.filter((r) => r.value === null);
    if (new RegExp(`${c} is not null`).test(sql)) rows = rows.filter((r) => r.value !== null);
    const pair = new RegExp(`\\(${c} > .*\\)\\)`).exec(sql);
    const tie = new RegExp(`\\[ID\\] = [^ ]*@p\\d+.* and ${c} = [^ ]*@p\\d+`).exec(sql);
    const from = /\[ID\] > [^ ]*@p\d+/.exec(sql);
    const among = /\[ID\] in \([^)]*\)/.exec(sql);
    if (pair) {
      const [cursor, , key] = params(pair[0], values);
      const [at, id] = [t.read(cursor), Number(key)];
      rows = rows.filter((r) => (r.value as number) > at || (r.value === at && r.id > id));
    } else if (from) {
      rows = rows.filter((r) => r.id > Number(params(from[0], values)[0]));
    } else if (tie) {
      // The rows level with a page's last (tied-rows.ts).
      const [key, cursor] = params(tie[0], values);
      rows = rows.filter((r) => r.id === Number(key) && r.value === t.read(cursor));
    } else if (among) {
      // The cursors of a page's keys (key-cursors.ts).
      const keys = params(among[0], values).map(Number);
      rows = rows.filter((r) => keys.includes(r.id));
    }
    // NULL first, then by cursor and ID, as the query orders them (or any order where it orders none).
    rows.sort((a, b) => (a.value ?? -Infinity) - (b.value ?? -Infinity) || a.id - b.id);
    const top = /^select top \(@p(\d+)\)/.exec(sql);
    if (top) rows = rows.slice(0, Number(values[Number(top[1])]));
    const withNull = (cell: Cell, r: Row): Cell => (r.value === null ? { ...cell, value: null } : cell);
    const cursor = (r: Row) => withNull(floatCell(t.column, r.value ?? 0, t.bytes), r);
    const text = (r: Row) => withNull(varcharCell('__lb_cursor_text', styleZero(r.value ?? 0)), r);
    // The cursors of a page's keys (key-cursors.ts `keyGroups`): one row a key, its row count and
    // newest cursor (MAX passes NULLs over), with its text; pages every column.
    if (/COUNT\(\*\) AS \[__lb_rows\]/.test(sql)) {
      const groups = new Map<number, Row[]>();
      for (const r of rows) groups.set(r.id, [...(groups.get(r.id) ?? []), r]);
      return [...groups].map(([id, held]) => {
        const set = held.filter((r) => r.value !== null).map((r) => r.value as number);
        const newest: Row = { id, value: set.length > 0 ? Math.max(...set) : null, note: '' };
        return [intCell('ID', id), intCell('__lb_rows', held.length), cursor(newest), text(newest)];
      });
    }
    return rows.map((r) => [intCell('ID', r.id), cursor(r), varcharCell('NOTE', r.note), text(r)]);
  };
}

const v8 = 1234567.891;
const v4 = Math.fround(1234567.891);
const CASES = [
  {
    name: 'a table stream whose cursor is FLOAT',
    column: 'MJ',
    type: 'float',
    bytes: 8 as const,
    v: v8,
    w: nextUp(v8, 8),
  },
  {
    name: 'a table stream whose cursor is REAL',
    column: 'MJ',
    type: 'real',
    bytes: 4 as const,
    v: v4,
    w: nextUp(v4, 4),
  },
  {
    name: 'a query stream whose cursor is a FLOAT expression',
    column: 'cur',
    type: 'float',
    bytes: 8 as const,
    v: v8,
    w: nextUp(v8, 8),
    query: 'SELECT ID, CAST(MJ AS float) AS cur, NOTE FROM dbo.T_XKZ',
  },
  {
    name: 'a query stream whose cursor is REAL',
    column: 'cur',
    type: 'real',
    bytes: 4 as const,
    v: v4,
    w: nextUp(v4, 4),
    query: 'SELECT ID, MJ AS cur, NOTE FROM dbo.T_XKZ',
  },
];

describe('mssql: a FLOAT or REAL cursor over a key that is not unique', () => {
  for (const k of CASES) {
    it(`${k.name}: every row a page boundary passes is read, ties whole, in pages of 2`, async () => {
      const read = (text: unknown) => (k.bytes === 4 ? Math.fround(Number(text)) : Number(text));
      const stream = {
        table: k.query ? 'q' : 'dbo.T_XKZ',
        key: 'ID',
        cursor: k.column,
        ...(k.query ? { query: k.query } : {}),
      };
      const pages = await readStandInPages(
        stream,
        answer({ column: k.column, type: k.type, bytes: k.bytes, rows: tableRows(k.v, k.w), read }),
        [],
        2,
      );
      const rows = pages.flatMap((p) => p.rows);
      // A REAL is handed over as written (single-float.ts).
      const [v, w] = k.bytes === 4 ? [singleValue(k.v), singleValue(k.w)] : [k.v, k.w];
      // Every row once, but key 7's at the older value: its newer row is the license's state.
      expect(rows.map((r) => [r.values.ID, r.values[k.column], r.values.NOTE])).toEqual([
        [1, null, 'n1'],
        [2, null, 'a'],
        [2, null, 'b'],
        [3, v, 'a'],
        [4, v, 'a'],
        [4, v, 'b'],
        [4, v, 'c'],
        [5, w, 'a'],
        [6, w, 'a'],
        [7, w, 'new'],
      ]);
      // One key and one cursor value, different content: passed on, quarantined, none dropped.
      expect(rows.map((r) => r.problems?.map((p) => p.code).join() ?? '')).toEqual([
        '',
        'LB_SOURCE_KEY_DUPLICATE',
        'LB_SOURCE_KEY_DUPLICATE',
        '',
        'LB_SOURCE_KEY_DUPLICATE',
        'LB_SOURCE_KEY_DUPLICATE',
        'LB_SOURCE_KEY_DUPLICATE',
        '',
        '',
        '',
      ]);
      // Each checkpoint is the page's last row, its value exact.
      expect(pages.map((p) => decodeResumePoint(p.checkpoint, 's'))).toEqual([
        { cursor: null, key: '2' },
        { cursor: String(k.v), key: '4' },
        { cursor: String(k.w), key: '5' },
        { cursor: String(k.w), key: '7' },
      ]);
    });
  }
});
