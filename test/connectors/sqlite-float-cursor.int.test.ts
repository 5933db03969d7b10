/**
 * SQLite float cursors and keys. better-sqlite3 hands a REAL over as the double it is, and a
 * checkpoint is String(number): the shortest text that reads back as the same double. It is bound
 * back as that number where the text is how a number is written, whatever the column's affinity
 * (a REAL column, an INTEGER column holding a REAL, a column without a type, a query stream's),
 * so ties and neighbouring doubles are read once each, one page per run. No change was needed;
 * this shows it.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSource } from '../../connectors/open-source.js';
import type { SourceConnector } from '../../connectors/source.js';
import { createLogger } from '../../core/logger.js';
import { DOUBLES, keysReadInRuns } from './float-runs.js';

const dir = mkdtempSync(join(tmpdir(), 'licbridge-sqlite-float-'));
const file = join(dir, 'legacy.db');
let source: SourceConnector;
let w: Database.Database;

beforeAll(async () => {
  w = new Database(file);
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
  source = await openSource(
    'legacy',
    { kind: 'sqlite', path: file, trim: 'all', pageSize: 500 },
    { logger: createLogger({ level: 'silent' }) },
  );
});

afterAll(async () => {
  await source?.close();
  w?.close();
  rmSync(dir, { recursive: true, force: true });
});

const order = (table: string): string[] =>
  (w.prepare(`SELECT ID FROM ${table} ORDER BY GX, ID`).all() as { ID: number }[]).map((r) => String(r.ID));

describe('sqlite float cursors and keys across incremental runs', () => {
  it.each(['T_REAL', 'T_INT', 'T_NONE'])('reads every row of %s by its float cursor once', async (table) => {
    for (const size of [1, 2, 3]) {
      const read = await keysReadInRuns(source, { table, key: 'ID', cursor: 'GX' }, size);
      expect(read, `page size ${size}`).toEqual(order(table));
    }
  });

  it('reads every row of a query stream by its float cursor once', async () => {
    const stream = { table: 'q', key: 'ID', cursor: 'GX', query: 'SELECT ID, GX FROM T_REAL' };
    expect(await keysReadInRuns(source, stream, 2)).toEqual(order('T_REAL'));
  });

  it('reads every REAL key once, each as its own key', async () => {
    const read = await keysReadInRuns(source, { table: 'T_KEY', key: 'ID' }, 2);
    expect(read.map(Number)).toEqual([...new Set(DOUBLES)].sort((a, b) => a - b));
  });
});
