/**
 * A cursor value ahead of the database's clock, read with lagMs 0 (the default). Legacy tables
 * hold them: an application server whose clock runs ahead, a mistyped year, a "never" placeholder
 * (2038-01-19, 9999-12-31) written into the update time. Such a row sorts after every real
 * change, so a read took it last and its checkpoint was there: every row changed afterwards lay
 * behind the checkpoint and was passed over until that time came (for a placeholder, for good) —
 * updates and new licenses lost without a word. The read is now bounded by the database's clock
 * (keyset.ts `readBound`), as a lag window bounds it: the row past it waits for its time, the
 * changes after it are read. A key also held on an older row is read from the older row meanwhile:
 * the row past the clock, which no read takes, no longer makes it give way.
 *
 * PostgreSQL (timestamp, date) and MariaDB (DATETIME, TIMESTAMP), in a database of this file's own.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSource } from '../../connectors/open-source.js';
import type { Page, SourceConnector, StreamSpec } from '../../connectors/source.js';
import { createLogger } from '../../core/logger.js';
import { lineLogger } from '../support/log-lines.js';
import { keysOf, readAll } from './conformance.js';
import { pgFamilyConfig } from './pg-family-fixture.js';
import {
  createMariadbDatabase,
  createPgDatabase,
  type FreshMariadb,
  type FreshPg,
  MARIADB,
} from './servers.js';

const quiet = createLogger({ level: 'silent' });

const lastCheckpoint = (pages: Page[]): string | null => pages[pages.length - 1]?.checkpoint ?? null;

/** The keys a read from `after` gives, with MC by key. */
async function readFrom(
  source: SourceConnector,
  stream: StreamSpec,
  after: string | null,
): Promise<{ pages: Page[]; keys: string[]; mc: Map<string, unknown> }> {
  const pages = await readAll(source, stream, 2, after);
  const mc = new Map(pages.flatMap((p) => p.rows.map((r) => [r.key, r.values.MC ?? r.values.mc] as const)));
  return { pages, keys: keysOf(pages), mc };
}

describe('PostgreSQL: a cursor ahead of the database clock, lagMs 0', () => {
  let fresh: FreshPg;
  let source: SourceConnector;
  beforeAll(async () => {
    fresh = await createPgDatabase();
    const c = fresh.client;
    await c.query('CREATE TABLE t_xkz (id int PRIMARY KEY, gxsj timestamp NOT NULL, mc text)');
    await c.query(
      `INSERT INTO t_xkz VALUES (1, '2024-03-01 08:00:00', 'a'), (2, '2024-03-02 08:00:00', 'b'),
         (3, '2024-03-03 08:00:00', 'c'), (4, '9999-12-31 00:00:00', 'never')`,
    );
    // A license number that is not unique: an old row, and one dated ahead of the clock.
    await c.query('CREATE TABLE t_bh (bh text NOT NULL, gxsj timestamp NOT NULL, mc text)');
    await c.query('CREATE INDEX ON t_bh (bh)');
    await c.query(
      `INSERT INTO t_bh VALUES ('K1', '2024-03-01 08:00:00', 'old'), ('K1', '2038-01-19 03:14:07', 'ahead'),
         ('K2', '2024-03-02 08:00:00', 'k2')`,
    );
    // A date of last change: today's rows are read at lagMs 0, as before; tomorrow's wait.
    await c.query('CREATE TABLE t_rq (id int PRIMARY KEY, gxrq date NOT NULL, mc text)');
    await c.query(
      `INSERT INTO t_rq VALUES (1, CURRENT_DATE - 3, 'a'), (2, CURRENT_DATE, 'today'), (3, CURRENT_DATE + 1, 'tomorrow')`,
    );
    source = await openSource('legacy', pgFamilyConfig('postgres', fresh.database), { logger: quiet });
  });
  afterAll(async () => {
    await source?.close();
    await fresh?.drop();
  });

  it('reads the changes made after a read that met a row dated 9999, which waits', async () => {
    const stream = { table: 't_xkz', key: 'id', cursor: 'gxsj' };
    const first = await readFrom(source, stream, null);
    expect(first.keys).toEqual(['1', '2', '3']);
    // The business system changes a license and adds one, now.
    await fresh.client.query(
      "UPDATE t_xkz SET gxsj = LOCALTIMESTAMP - interval '1 minute', mc = 'changed' WHERE id = 2",
    );
    await fresh.client.query("INSERT INTO t_xkz VALUES (5, LOCALTIMESTAMP - interval '1 minute', 'new')");
    const next = await readFrom(source, stream, lastCheckpoint(first.pages));
    expect(next.keys).toEqual(['2', '5']);
    expect(next.mc.get('2')).toBe('changed');
  });

  it('reads a key from its older row while its other row lies ahead of the clock', async () => {
    const rows = await readFrom(source, { table: 't_bh', key: 'bh', cursor: 'gxsj' }, null);
    expect(rows.keys).toEqual(['K1', 'K2']);
    expect(rows.mc.get('K1')).toBe('old');
    // Under a lag window too: the row ahead made K1's row give way, and waited itself.
    const lagged = await readFrom(source, { table: 't_bh', key: 'bh', cursor: 'gxsj', lagMs: 5000 }, null);
    expect(lagged.keys).toEqual(['K1', 'K2']);
    expect(lagged.mc.get('K1')).toBe('old');
  });

  it('names the rows left for their time once a read, by count', async () => {
    const { logger, lines } = lineLogger('warn');
    const named = await openSource('legacy', pgFamilyConfig('postgres', fresh.database), { logger });
    try {
      await readAll(named, { table: 't_xkz', key: 'id', cursor: 'gxsj' }, 2);
      await readAll(named, { table: 't_xkz', key: 'id', cursor: 'gxsj', lagMs: 5000 }, 2);
      // An id cursor is no time: nothing is bounded, nothing named.
      await readAll(named, { table: 't_xkz', key: 'id', cursor: 'id' }, 2);
    } finally {
      await named.close();
    }
    const ahead = lines.map((l) => JSON.parse(l)).filter((l) => 'ahead' in l);
    expect(ahead).toHaveLength(2);
    for (const line of ahead) {
      expect(line).toMatchObject({ source: 'legacy', table: 't_xkz', cursor: 'gxsj', ahead: 1 });
      expect(line.msg).toMatch(
        /^source legacy: 1 rows of stream `t_xkz` hold a cursor `gxsj` ahead of the database's clock and wait until their time comes/,
      );
    }
  });

  it("takes a date cursor's rows of today, not of tomorrow", async () => {
    const rows = await readFrom(source, { table: 't_rq', key: 'id', cursor: 'gxrq' }, null);
    expect(rows.keys).toEqual(['1', '2']);
  });
});

describe('MariaDB: a cursor ahead of the database clock, lagMs 0', () => {
  let fresh: FreshMariadb;
  let source: SourceConnector;
  beforeAll(async () => {
    fresh = await createMariadbDatabase();
    const c = fresh.conn;
    // A DATETIME cursor, and a TIMESTAMP one (compared as its instant, mysql/timestamp-cursor.ts),
    // whose last instant, 2038-01-19 03:14:07 UTC, is a common "never".
    for (const [table, type, never] of [
      ['T_GXSJ', 'DATETIME(6)', '9999-12-31 00:00:00'],
      ['T_SJC', 'TIMESTAMP(6)', '2038-01-19 03:14:07'],
    ]) {
      await c.query(`CREATE TABLE ${table} (ID INT PRIMARY KEY, GXSJ ${type} NOT NULL, MC VARCHAR(20))`);
      await c.query(
        `INSERT INTO ${table} VALUES (1, '2024-03-01 08:00:00', 'a'), (2, '2024-03-02 08:00:00', 'b'),
           (3, '2024-03-03 08:00:00', 'c'), (4, ?, 'never')`,
        [never],
      );
    }
    source = await openSource(
      'legacy',
      {
        kind: 'mysql',
        connection: { host: MARIADB.host, port: MARIADB.port, user: MARIADB.user, database: fresh.database },
        trim: 'all',
        pageSize: 500,
      },
      { logger: quiet },
    );
  });
  afterAll(async () => {
    await source?.close();
    await fresh?.drop();
  });

  for (const table of ['T_GXSJ', 'T_SJC']) {
    it(`reads the changes made after a read that met a row ahead of the clock (${table})`, async () => {
      const stream = { table, key: 'ID', cursor: 'GXSJ' };
      const first = await readFrom(source, stream, null);
      expect(first.keys).toEqual(['1', '2', '3']);
      await fresh.conn.query(
        `UPDATE ${table} SET GXSJ = NOW(6) - INTERVAL 1 MINUTE, MC = 'changed' WHERE ID = 2`,
      );
      await fresh.conn.query(`INSERT INTO ${table} VALUES (5, NOW(6) - INTERVAL 1 MINUTE, 'new')`);
      const next = await readFrom(source, stream, lastCheckpoint(first.pages));
      expect(next.keys).toEqual(['2', '5']);
      expect(next.mc.get('2')).toBe('changed');
    });
  }
});
