/**
 * Discovery counts the rows of every table (a full scan each). Started inside the source's
 * `readWindow`, it went on counting after the window closed — at 06:00 of a `20:00-06:00` window,
 * into the department's working day — where a run's read stops at the next page. It now stops
 * before the next table's count and says so, naming the window, the host time and how far it got.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import knex, { type Knex } from 'knex';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withSourceDefaults } from '../../config/source-defaults.js';
import { sqliteDialect } from '../../connectors/sql/dialects/sqlite/dialect.js';
import { SqlSource } from '../../connectors/sql/sql-source.js';

const TABLES = ['T_A', 'T_B', 'T_C'];

describe('discover and a read window that closes while it counts', () => {
  let dir: string;
  let path: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'lb-discover-window-'));
    path = join(dir, 'legacy.db');
    const db = new Database(path);
    for (const t of TABLES)
      db.exec(`CREATE TABLE ${t} (ID integer PRIMARY KEY); INSERT INTO ${t} VALUES (1), (2);`);
    db.close();
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  /** A source whose clock reads each of `times` (host-local `HH:MM`) in turn, then the last. */
  async function sourceAt(times: string[]) {
    const config = withSourceDefaults({
      kind: 'sqlite',
      path,
      trim: 'all',
      pageSize: 500,
      readWindow: '20:00-06:00',
    });
    const db: Knex = knex({
      ...(await sqliteDialect.knexConfig('legacy', config)),
      compileSqlOnError: false,
    });
    const counts: string[] = [];
    db.on('query', (q: { sql: string }) => {
      if (/count\(\*\)/i.test(q.sql)) counts.push(q.sql);
    });
    let call = 0;
    const clock = () => {
      const [h, m] = (times[Math.min(call++, times.length - 1)] as string).split(':').map(Number);
      return new Date(2026, 11, 2, h, m);
    };
    return { source: new SqlSource('legacy', config, sqliteDialect, db, { clock }), counts };
  }

  it('stops before the next count once the window has closed, naming the window and how far it got', async () => {
    const { source, counts } = await sourceAt(['05:59', '06:00']);
    try {
      const error = await source.discover().then(
        () => undefined,
        (e: unknown) => e as { code?: string; message?: string },
      );
      expect(error?.code).toBe('LB_USAGE');
      expect(error?.message).toContain(
        'source legacy: readWindow `20:00-06:00` closed (host time 06:00 (UTC',
      );
      expect(error?.message).toContain('after 1 of 3 tables were counted; no further table was counted');
      expect(counts).toHaveLength(1);
    } finally {
      await source.close();
    }
  });

  it('counts every table while the window stays open, across midnight', async () => {
    const { source, counts } = await sourceAt(['23:59', '00:00', '00:01']);
    try {
      const tables = await source.discover();
      expect(tables.map((t) => t.rowCount)).toEqual([2, 2, 2]);
      expect(counts).toHaveLength(3);
    } finally {
      await source.close();
    }
  });
});
