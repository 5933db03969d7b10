/**
 * A query stream (a stream given as SQL) whose cursor is a time of day is refused as a table stream
 * with that cursor is (time-of-day-cursor.int.test.ts): before a row is read, with the same words.
 * It was read: pages ordered by the time alone, so once a checkpoint stood at 20:00 a row changed
 * the next morning lay behind it for good; under a lag window PostgreSQL refused every page with
 * the driver's `operator does not exist: time without time zone <= timestamp …`. A query selecting
 * the date and the time as one date-and-time, as the refusal suggests, is read.
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

const timeOnly: StreamSpec = {
  table: 'gx',
  query: 'SELECT id, sj AS gxsj FROM t_sj',
  key: 'id',
  cursor: 'gxsj',
};

/** The refusal a read of the stream meets, as a user reads it: source, stream, column, type. */
function refusal(type: string) {
  return {
    code: 'LB_SOURCE_SCHEMA',
    message: expect.stringMatching(
      new RegExp(
        `^source legacy: cursor column \`gxsj\` of stream \`gx\` is \`${type}\`, a time of day without a date: .*a date-and-time column`,
      ),
    ),
  };
}

describe('a query stream with a time-of-day cursor', () => {
  describe('on PostgreSQL', () => {
    let fresh: FreshPg;
    let source: SourceConnector;
    beforeAll(async () => {
      fresh = await createPgDatabase();
      await fresh.client.query('CREATE TABLE t_sj (id int PRIMARY KEY, rq date NOT NULL, sj time NOT NULL)');
      await fresh.client.query(
        "INSERT INTO t_sj VALUES (1, '2024-03-01', '20:00'), (2, '2024-03-02', '08:00'), (3, '2024-03-02', '21:00')",
      );
      source = await openSource('legacy', pgFamilyConfig('postgres', fresh.database), { logger: quiet });
    });
    afterAll(async () => {
      await source?.close();
      await fresh?.drop();
    });

    it('is refused before a row is read, naming the column, its type and what to use', async () => {
      await expect(readAll(source, timeOnly, 2)).rejects.toMatchObject(refusal('time without time zone'));
    });

    it('is refused under a lag window in the same words, not with the driver error of each page', async () => {
      const lagged = { ...timeOnly, lagMs: 60_000 };
      await expect(readAll(source, lagged, 2)).rejects.toMatchObject(refusal('time without time zone'));
    });

    it('is refused with a time with time zone, by the stream check of config check --connect', async () => {
      const zoned = { ...timeOnly, query: 'SELECT id, sj::timetz AS gxsj FROM t_sj' };
      await expect(source.checkStream?.(zoned)).rejects.toMatchObject(refusal('time with time zone'));
    });

    it('is read where the query selects the date and the time as one date-and-time', async () => {
      const joined = { ...timeOnly, query: 'SELECT id, rq + sj AS gxsj FROM t_sj' };
      expect(keysOf(await readAll(source, joined, 2))).toEqual(['1', '2', '3']);
    });
  });

  describe('on MariaDB', () => {
    let fresh: FreshMariadb;
    let source: SourceConnector;
    beforeAll(async () => {
      fresh = await createMariadbDatabase();
      await fresh.conn.query('CREATE TABLE t_sj (id INT PRIMARY KEY, rq DATE NOT NULL, sj TIME(6) NOT NULL)');
      await fresh.conn.query(
        "INSERT INTO t_sj VALUES (1, '2024-03-01', '20:00'), (2, '2024-03-02', '08:00'), (3, '2024-03-02', '21:00')",
      );
      source = await openSource('legacy', mariadbConfig(fresh.database), { logger: quiet });
    });
    afterAll(async () => {
      await source?.close();
      await fresh?.drop();
    });

    it('is refused before a row is read, naming the column, its type and what to use', async () => {
      await expect(readAll(source, timeOnly, 2)).rejects.toMatchObject(refusal('time\\(6\\)'));
    });

    it('is refused by the stream check of config check --connect', async () => {
      await expect(source.checkStream?.(timeOnly)).rejects.toMatchObject(refusal('time\\(6\\)'));
    });

    it('is read where the query selects the date and the time as one date-and-time', async () => {
      const joined = { ...timeOnly, query: 'SELECT id, TIMESTAMP(rq, sj) AS gxsj FROM t_sj' };
      expect(keysOf(await readAll(source, joined, 2))).toEqual(['1', '2', '3']);
    });
  });
});
