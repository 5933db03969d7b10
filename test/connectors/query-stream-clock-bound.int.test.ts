/**
 * A query stream (a stream given as SQL) whose cursor is a date/time is read up to the database's
 * clock, as a table stream's is (keyset.ts `readBound`, cursor-past-clock.int.test.ts). A row whose
 * cursor lies ahead of the clock — a "never" placeholder such as 9999-12-31, a mistyped year —
 * sorts after every real change: a query stream read it, put its checkpoint there, and every row
 * changed afterwards lay behind it, passed over by each later run, an update or a revocation lost
 * without a word. The cursor's type is now the one the database gives the query's column, and such
 * a row waits for its time, as it does in a table stream. A cursor that is no date/time is not
 * bounded.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSource } from '../../connectors/open-source.js';
import type { SourceConnector, StreamSpec } from '../../connectors/source.js';
import type { Checkpoint } from '../../core/checkpoint.js';
import { createLogger } from '../../core/logger.js';
import { keysOf, readAll } from './conformance.js';
import { mariadbConfig } from './legacy-sources.js';
import { pgFamilyConfig } from './pg-family-fixture.js';
import { createMariadbDatabase, createPgDatabase, type FreshMariadb, type FreshPg } from './servers.js';

const quiet = createLogger({ level: 'silent' });

const byTime: StreamSpec = {
  table: 'xkz',
  query: 'SELECT id, gxsj, mc FROM t_xkz',
  key: 'id',
  cursor: 'gxsj',
};

/** Two runs of `byTime`: the first from the start, the second from its checkpoint after `change`. */
async function twoRuns(source: SourceConnector, change: () => Promise<unknown>) {
  const first = await readAll(source, byTime, 2);
  await change();
  const after = (first[first.length - 1]?.checkpoint ?? null) as Checkpoint | null;
  const next = await readAll(source, byTime, 2, after);
  return { first: keysOf(first), next: keysOf(next) };
}

const ROWS =
  "(1, '2024-01-01 08:00:00', 'a'), (2, '9999-12-31 00:00:00', 'never'), (3, '2024-01-02 08:00:00', 'c')";

describe('a query stream with a date/time cursor, a row dated 9999', () => {
  describe('on PostgreSQL', () => {
    let fresh: FreshPg;
    let source: SourceConnector;
    beforeAll(async () => {
      fresh = await createPgDatabase();
      await fresh.client.query('CREATE TABLE t_xkz (id int PRIMARY KEY, gxsj timestamp NOT NULL, mc text)');
      await fresh.client.query(`INSERT INTO t_xkz VALUES ${ROWS}`);
      source = await openSource('legacy', pgFamilyConfig('postgres', fresh.database), { logger: quiet });
    });
    afterAll(async () => {
      await source?.close();
      await fresh?.drop();
    });

    it('leaves the row for its time and reads a change made after the read', async () => {
      const runs = await twoRuns(source, () =>
        fresh.client.query("UPDATE t_xkz SET gxsj = LOCALTIMESTAMP - interval '1 minute' WHERE id = 1"),
      );
      expect(runs).toEqual({ first: ['1', '3'], next: ['1'] });
    });

    it('reads every row of a cursor that is no date/time', async () => {
      const byNumber = { ...byTime, query: 'SELECT id, gxsj, mc, id * 10 AS bbh FROM t_xkz', cursor: 'bbh' };
      expect(keysOf(await readAll(source, byNumber, 2))).toEqual(['1', '2', '3']);
    });
  });

  describe('on MariaDB', () => {
    let fresh: FreshMariadb;
    let source: SourceConnector;
    beforeAll(async () => {
      fresh = await createMariadbDatabase();
      await fresh.conn.query(
        'CREATE TABLE t_xkz (id INT PRIMARY KEY, gxsj DATETIME NOT NULL, mc VARCHAR(10))',
      );
      await fresh.conn.query(`INSERT INTO t_xkz VALUES ${ROWS}`);
      source = await openSource('legacy', mariadbConfig(fresh.database), { logger: quiet });
    });
    afterAll(async () => {
      await source?.close();
      await fresh?.drop();
    });

    it('leaves the row for its time and reads a change made after the read', async () => {
      const runs = await twoRuns(source, () =>
        fresh.conn.query('UPDATE t_xkz SET gxsj = NOW() - INTERVAL 1 MINUTE WHERE id = 1'),
      );
      expect(runs).toEqual({ first: ['1', '3'], next: ['1'] });
    });
  });
});
