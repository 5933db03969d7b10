/**
 * A tie whose page's last row changes between the page and the tie read. A SQL Server read runs at
 * READ COMMITTED (with READ_COMMITTED_SNAPSHOT too, a snapshot per statement): the page and the
 * read of the rows level with its last (tied-rows.ts) each see the rows committed when they began.
 * Here key 1, not unique, holds two rows at cursor 10; a page of two ends on one of them, and
 * before the tie is read the application updates that row (its cursor moves to 99). The tie read no
 * longer found the page's last row, the page was kept as it was, its checkpoint named the tie, and
 * the other row, untouched, lay at the checkpoint, which the next page passes strictly: it was
 * never read. The rows of the page at its last position are now those the tie read finds.
 *
 * No SQL Server runs here: a stand-in answers each statement as SQL Server would, for the rows as
 * they stand when the statement arrives (mssql-stand-in.ts).
 */
import { describe, expect, it } from 'vitest';
import { type Cell, intCell, readStandInPages, varcharCell } from './mssql-stand-in.js';

interface Row {
  id: number;
  gx: number;
  note: string;
}

const catalogRow = (name: string, type: string): Cell[] => [
  varcharCell('name', name),
  varcharCell('type', type),
  intCell('nullable', 0),
  intCell('pk', 0),
  intCell('uq', 0),
  intCell('leads', 1),
  intCell('isView', 0),
];

/** The `@pN` parameters a fragment of `sql` names, as bound. */
const params = (fragment: string, values: unknown[]) =>
  [...fragment.matchAll(/@p(\d+)/g)].map((m) => Number(values[Number(m[1])]));

/**
 * SQL Server over `rows`: the catalog, a page (`[GX] > … or …`, TOP), the rows level with a page's
 * last (`[ID] = … and [GX] = …`). `afterFirstPage` runs once the first page statement is answered,
 * as the application's update committing before the next statement arrives.
 */
function answer(rows: Row[], afterFirstPage: (page: Row[]) => void) {
  let pages = 0;
  return (sql: string, values: unknown[]): Cell[][] => {
    if (/sys\.columns/.test(sql))
      return [catalogRow('ID', 'int'), catalogRow('GX', 'int'), catalogRow('NOTE', 'varchar(10)')];
    if (!/T_XKZ/.test(sql)) return [];
    let found = [...rows];
    const pair = /\(\[GX\] > .*\)\)/.exec(sql);
    const tie = /\[ID\] = [^ ]*@p\d+.* and \[GX\] = [^ ]*@p\d+/.exec(sql);
    if (pair) {
      const [gx, , id] = params(pair[0], values);
      found = found.filter((r) => r.gx > (gx as number) || (r.gx === gx && r.id > (id as number)));
    } else if (tie) {
      const [id, gx] = params(tie[0], values);
      found = found.filter((r) => r.id === id && r.gx === gx);
    }
    found.sort((a, b) => a.gx - b.gx || a.id - b.id);
    const top = /^select top \(@p(\d+)\)/.exec(sql);
    if (top) found = found.slice(0, Number(values[Number(top[1])]));
    const cells = found.map((r) => [
      intCell('ID', r.id),
      intCell('GX', r.gx),
      varcharCell('NOTE', r.note),
      varcharCell('__lb_cursor_text', String(r.gx)),
    ]);
    if (top && pages++ === 0) afterFirstPage(found);
    return cells;
  };
}

describe('mssql: a row of a tie changed between the page and its tie read', () => {
  it('leaves no row of the tie unread: the untouched one is read, the changed one at its new cursor', async () => {
    const rows: Row[] = [
      { id: 0, gx: 5, note: 'x' },
      { id: 1, gx: 10, note: 'a' },
      { id: 1, gx: 10, note: 'b' },
      { id: 2, gx: 20, note: 'y' },
    ];
    let updated: string | undefined;
    const pages = await readStandInPages(
      { table: 'dbo.T_XKZ', key: 'ID', cursor: 'GX', keyUnique: true },
      answer(rows, (page) => {
        const last = page[page.length - 1] as Row;
        updated = last.note;
        last.gx = 99;
      }),
      [],
      2,
    );
    expect(['a', 'b']).toContain(updated);
    const read = pages.flatMap((p) => p.rows.map((r) => String(r.values.NOTE)));
    expect([...new Set(read)].sort()).toEqual(['a', 'b', 'x', 'y']);
    // The changed row once, at its new cursor.
    expect(read.filter((n) => n === updated)).toHaveLength(1);
  });
});
