/**
 * A lag window (`lagMs`) bounds a cursor by the database's clock, so it needs a date/time cursor: a
 * table stream with any other is refused before a row is read (``lagMs needs a date/time cursor``).
 * A query stream (a stream given as SQL) was not: its cursor was compared with the clock all the
 * same. On PostgreSQL every page failed with the driver's `operator does not exist: integer <=
 * timestamp without time zone`, naming no stream; on MariaDB the integer was compared as a number
 * with the clock's digits (20240301080000), always below it, and the window the config asked for
 * held nothing back, without a word. Now refused as a table stream is, in the same words, by the
 * type the database gives the query's column; a query selecting a date/time cursor is read.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSource } from '../../connectors/open-source.js';
import type { SourceConnector, StreamSpec } from '../../connectors/source.js';
import { createLogger } from '../../core/logger.js';
import { keysOf, readAll } from './conformance.js';
import { mariadbConfig } from './legacy-sources.js';
import { pgFamilyConfig } from './pg-family-fixture.js';
import { createMariadbDatabase, createPgDatabase, type FreshMariadb, type FreshPg } from './servers.js';

const quiet = createLogger({ level: 'silent' });

/** A query stream of `t_bb` by cursor `bb`, the column `column` under that name, with a lag window. */
const lagged = (column: string): StreamSpec => ({
  table: 'bb',
  query: `SELECT id, ${column} AS bb FROM t_bb`,
  key: 'id',
  cursor: 'bb',
  lagMs: 60_000,
});

/** The refusal a read of the stream meets, as a user reads it: source, stream, cursor, type. */
function refusal(type: string) {
  return {
    code: 'LB_USAGE',
    message: `source legacy: lagMs needs a date/time cursor: cursor \`bb\` of \`bb\` is \`${type}\`; set lagMs: 0 for this stream`,
  };
}

describe('a query stream with a lag window', () => {
  describe('on PostgreSQL', () => {
    let fresh: FreshPg;
    let source: SourceConnector;
    beforeAll(async () => {
      fresh = await createPgDatabase();
      await fresh.client.query(
        'CREATE TABLE t_bb (id int PRIMARY KEY, bbh int, gxsj timestamp, txt varchar(19))',
      );
      await fresh.client.query(
        "INSERT INTO t_bb VALUES (1, 1, '2024-03-01 08:00', '2024-03-01 08:00:00'), (2, 2, '2024-03-02 08:00', '2024-03-02 08:00:00')",
      );
      source = await openSource('legacy', pgFamilyConfig('postgres', fresh.database), { logger: quiet });
    });
    afterAll(async () => {
      await source?.close();
      await fresh?.drop();
    });

    it('is refused on a counter cursor before a row is read, naming the stream, cursor and type', async () => {
      await expect(readAll(source, lagged('bbh'), 10)).rejects.toMatchObject(refusal('integer'));
    });

    it('is refused on a text cursor, by the stream check of config check --connect', async () => {
      await expect(source.checkStream?.(lagged('txt'))).rejects.toMatchObject(
        refusal('character varying(19)'),
      );
    });

    it('is read on a date/time cursor', async () => {
      expect(keysOf(await readAll(source, lagged('gxsj'), 10))).toEqual(['1', '2']);
    });
  });

  describe('on MariaDB', () => {
    let fresh: FreshMariadb;
    let source: SourceConnector;
    beforeAll(async () => {
      fresh = await createMariadbDatabase();
      await fresh.conn.query('CREATE TABLE t_bb (id INT PRIMARY KEY, bbh INT, gxsj DATETIME)');
      await fresh.conn.query(
        "INSERT INTO t_bb VALUES (1, 1, '2024-03-01 08:00'), (2, 2, '2024-03-02 08:00')",
      );
      source = await openSource('legacy', mariadbConfig(fresh.database), { logger: quiet });
    });
    afterAll(async () => {
      await source?.close();
      await fresh?.drop();
    });

    it('is refused on a counter cursor before a row is read, naming the stream, cursor and type', async () => {
      await expect(readAll(source, lagged('bbh'), 10)).rejects.toMatchObject(refusal('int'));
    });

    it('is read on a date/time cursor', async () => {
      expect(keysOf(await readAll(source, lagged('gxsj'), 10))).toEqual(['1', '2']);
    });
  });
});
