/**
 * `lagMs` on a SQLite source. SQLite has no lag bound (its file has no server clock, and its dates
 * are text as the application wrote them): a stream read by a date/time cursor with lagMs > 0 was
 * read as without it, rows changed a moment ago included, and the setting was silently ignored,
 * while an integer or text cursor was refused as "needs a date/time cursor". Every such stream is
 * now refused before a row is read, saying that SQLite applies no lag window and to set lagMs: 0.
 */
import { describe, expect, it } from 'vitest';
import { keysOf, readAll } from './conformance.js';
import { sqliteSource } from './legacy-sources.js';

const fixture = sqliteSource('sqlite-lag-refused-', (db) => {
  db.exec('CREATE TABLE t_spxk (id INTEGER PRIMARY KEY, gxsj DATETIME NOT NULL, xh INTEGER NOT NULL)');
  db.exec(
    "INSERT INTO t_spxk VALUES (1, '2024-03-01 08:00:00', 1), (2, datetime('now', 'localtime'), 2), (3, '2024-03-01 09:00:00', 3)",
  );
});

const refused = (cursor: string, type: string) => ({
  code: 'LB_USAGE',
  message: `source legacy: lagMs is not applied on SQLite: cursor \`${cursor}\` of \`t_spxk\` is \`${type}\`, and SQLite has no database clock to hold recent rows back by (its dates are text as the application wrote them); set lagMs: 0 for this stream, on the source or the stream`,
});

describe('lagMs on a SQLite source', () => {
  it('is refused for a date/time cursor, not ignored', async () => {
    const stream = { table: 't_spxk', key: 'id', cursor: 'gxsj', lagMs: 5_000 };
    await expect(readAll(fixture.source, stream, 10)).rejects.toMatchObject(refused('gxsj', 'DATETIME'));
  });

  it('is refused for an integer cursor with the same reason', async () => {
    const stream = { table: 't_spxk', key: 'id', cursor: 'xh', lagMs: 5_000 };
    await expect(readAll(fixture.source, stream, 10)).rejects.toMatchObject(refused('xh', 'INTEGER'));
  });

  it('is refused for a query stream', async () => {
    const stream = {
      table: 'recent',
      query: 'SELECT id, gxsj FROM t_spxk',
      key: 'id',
      cursor: 'gxsj',
      lagMs: 5_000,
    };
    await expect(readAll(fixture.source, stream, 10)).rejects.toMatchObject({
      code: 'LB_USAGE',
      message: expect.stringMatching(/^source legacy: lagMs is not applied on SQLite: /),
    });
  });

  it('reads every row at lagMs 0', async () => {
    const stream = { table: 't_spxk', key: 'id', cursor: 'gxsj', lagMs: 0 };
    expect(keysOf(await readAll(fixture.source, stream, 10))).toEqual(['1', '3', '2']);
  });
});
