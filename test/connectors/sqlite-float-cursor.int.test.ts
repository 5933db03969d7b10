/**
 * SQLite float cursors and keys. better-sqlite3 hands a REAL over as the double it is, and a
 * checkpoint is String(number): the shortest text that reads back as the same double. It is bound
 * back as that number where the text is how a number is written, whatever the column's affinity
 * (a REAL column, an INTEGER column holding a REAL, a column without a type, a query stream's),
 * so ties and neighbouring doubles are read once each, one page per run. No change was needed;
 * this shows it.
 */
import { describe, expect, it } from 'vitest';
import { DOUBLES, expectEveryPageSize, keysReadInRuns } from './float-runs.js';
import { sqliteSource } from './legacy-sources.js';

const legacy = sqliteSource('licbridge-sqlite-float-', (w) => {
  for (const [table, type] of [
    ['T_REAL', 'REAL'],
    ['T_INT', 'INTEGER'],
    ['T_NONE', ''],
  ] as const) {
    w.exec(`CREATE TABLE ${table} (ID INTEGER PRIMARY KEY, GX ${type})`);
    const insert = w.prepare(`INSERT INTO ${table} VALUES (?, ?)`);
    for (const [i, v] of DOUBLES.entries()) insert.run(i + 1, v);
  }
  w.exec('CREATE TABLE T_KEY (ID REAL PRIMARY KEY, MC TEXT)');
  const key = w.prepare('INSERT INTO T_KEY VALUES (?, ?)');
  for (const v of new Set(DOUBLES)) key.run(v, String(v));
});

const order = (table: string): string[] =>
  (legacy.db.prepare(`SELECT ID FROM ${table} ORDER BY GX, ID`).all() as { ID: number }[]).map((r) =>
    String(r.ID),
  );

describe('sqlite float cursors and keys across incremental runs', () => {
  it.each(['T_REAL', 'T_INT', 'T_NONE'])('reads every row of %s by its float cursor once', async (table) => {
    await expectEveryPageSize(legacy.source, { table, key: 'ID', cursor: 'GX' }, order(table));
  });

  it('reads every row of a query stream by its float cursor once', async () => {
    const stream = { table: 'q', key: 'ID', cursor: 'GX', query: 'SELECT ID, GX FROM T_REAL' };
    expect(await keysReadInRuns(legacy.source, stream, 2)).toEqual(order('T_REAL'));
  });

  it('reads every REAL key once, each as its own key', async () => {
    const read = await keysReadInRuns(legacy.source, { table: 'T_KEY', key: 'ID' }, 2);
    expect(read.map(Number)).toEqual([...new Set(DOUBLES)].sort((a, b) => a - b));
  });
});
