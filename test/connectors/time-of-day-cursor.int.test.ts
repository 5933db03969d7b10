/**
 * A cursor of a time-of-day type (PostgreSQL `time`, MySQL/MariaDB `TIME`, SQL Server `time`, DM
 * `TIME`) holds no date: a row changed tomorrow morning sorts before one changed this evening, so
 * once a checkpoint stood at 20:00 the next day's changes before 20:00 lay behind it. It was taken
 * for a date/time and bounded by the database's clock: on PostgreSQL every page failed with the
 * driver's `operator does not exist: time without time zone <= timestamp without time zone`; on
 * MariaDB the time was compared as today's, and rows of a later time of day waited. Such a stream
 * is now refused before a row is read, naming the source, stream, column and type, and what to use.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSource } from '../../connectors/open-source.js';
import type { SourceConnector } from '../../connectors/source.js';
import { createLogger } from '../../core/logger.js';
import { readAll } from './conformance.js';
import { mariadbConfig } from './legacy-sources.js';
import { pgFamilyConfig } from './pg-family-fixture.js';
import { createMariadbDatabase, createPgDatabase, type FreshMariadb, type FreshPg } from './servers.js';

const quiet = createLogger({ level: 'silent' });
const stream = { table: 't_sj', key: 'id', cursor: 'gxsj' };

/** The refusal a read of the stream meets, as a user reads it. */
function refusal(type: string) {
  return {
    code: 'LB_SOURCE_SCHEMA',
    message: expect.stringMatching(
      new RegExp(
        `^source legacy: cursor column \`gxsj\` of stream \`t_sj\` is \`${type}\`, a time of day without a date: .*a date-and-time column`,
      ),
    ),
  };
}

describe('a time-of-day cursor', () => {
  describe('on PostgreSQL', () => {
    let fresh: FreshPg;
    let source: SourceConnector;
    beforeAll(async () => {
      fresh = await createPgDatabase();
      await fresh.client.query('CREATE TABLE t_sj (id int PRIMARY KEY, gxsj time NOT NULL)');
      await fresh.client.query("INSERT INTO t_sj VALUES (1, '08:00'), (2, '12:30'), (3, '23:59:59')");
      source = await openSource('legacy', pgFamilyConfig('postgres', fresh.database), { logger: quiet });
    });
    afterAll(async () => {
      await source?.close();
      await fresh?.drop();
    });

    it('is refused before a row is read, naming the column, its type and what to use', async () => {
      await expect(readAll(source, stream, 2)).rejects.toMatchObject(refusal('time without time zone'));
    });

    it('is refused by the stream check of config check --connect', async () => {
      await expect(source.checkStream?.(stream)).rejects.toMatchObject(refusal('time without time zone'));
    });
  });

  describe('on MariaDB', () => {
    let fresh: FreshMariadb;
    let source: SourceConnector;
    beforeAll(async () => {
      fresh = await createMariadbDatabase();
      await fresh.conn.query('CREATE TABLE t_sj (id INT PRIMARY KEY, gxsj TIME(6) NOT NULL)');
      await fresh.conn.query("INSERT INTO t_sj VALUES (1, '08:00'), (2, '12:30'), (3, '23:59:59')");
      source = await openSource('legacy', mariadbConfig(fresh.database), { logger: quiet });
    });
    afterAll(async () => {
      await source?.close();
      await fresh?.drop();
    });

    it('is refused before a row is read, naming the column, its type and what to use', async () => {
      await expect(readAll(source, stream, 2)).rejects.toMatchObject(refusal('time\\(6\\)'));
    });
  });
});
