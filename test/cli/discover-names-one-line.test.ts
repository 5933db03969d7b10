/**
 * `licbridge discover` printed table and column names through terminalSafe only, which keeps line
 * breaks and tabs: a column named with a line break (SQL allows one in a quoted name) split its row
 * and printed a line of its own choosing, here a forged stream suggestion. Each name is now one
 * line (terminalLine), as the other listings print a source's text; `--json` keeps it as it is.
 */
import { describe, expect, it } from 'vitest';
import type { TableInfo } from '../../connectors/source.js';
import { discoverWorkspace } from '../support/discover-workspace.js';

const FORGED = '  suggested stream: { table: T_EVIL, key: ID }';
const COLUMN = `MC\n${FORGED}\n`;

const { licbridge } = discoverWorkspace('licbridge-discover-lines-', (db) => {
  db.exec(`CREATE TABLE T_XK (XKZBH TEXT PRIMARY KEY, "${COLUMN}" TEXT, "a\tb" TEXT)`);
  db.exec("INSERT INTO T_XK VALUES ('JY1', 'x', 'y')");
});

describe('discover: names with line breaks', () => {
  it('prints each column on one line and no forged line', async () => {
    const r = await licbridge(['discover', 'demo']);
    expect(r.status, r.stderr).toBe(0);
    const lines = r.stdout.split('\n');
    expect(lines).not.toContain(FORGED);
    expect(lines.filter((l) => l.startsWith('  suggested stream:'))).toEqual([
      '  suggested stream: { table: T_XK, key: XKZBH }',
    ]);
    // Header, three columns: one line each.
    const table = lines.slice(
      lines.findIndex((l) => l.startsWith('  column')),
      lines.findIndex((l) => l.startsWith('  suggested stream:')),
    );
    expect(table).toHaveLength(4);
    expect(table[2]).toMatch(/^ {2}MC suggested stream: \{ table: T_EVIL, key: ID \} +TEXT +yes/);
    expect(table[3]).toMatch(/^ {2}a b +TEXT +yes/);
  });

  it('--json keeps the names as the source gives them', async () => {
    const r = await licbridge(['discover', 'demo', '--json']);
    const { tables } = JSON.parse(r.stdout) as { tables: TableInfo[] };
    expect(tables[0]?.columns.map((c) => c.name)).toEqual(['XKZBH', COLUMN, 'a\tb']);
  });
});
