/**
 * The lag window with a DATE cursor (GXRQ, "date of last change", in many legacy schemas). A date
 * stands for its whole day: rows written later that day carry the same cursor, and the read
 * resumes after the (cursor, key) of its last row, so one written after the run with a lower key
 * is passed over for good. The lag bound compared the day's first instant with the database clock
 * less lagMs: the day's rows were read while it was still being written. A date is now at least
 * lagMs old only once its whole day is: the current day's rows wait for the next day's runs.
 */
import knexModule from 'knex';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSource } from '../../connectors/open-source.js';
import type { SourceConnector } from '../../connectors/source.js';
import type { ColumnMeta, SqlDialect } from '../../connectors/sql/dialect.js';
import { dmDialect } from '../../connectors/sql/dialects/dm/dialect.js';
import { mssqlDialect } from '../../connectors/sql/dialects/mssql/dialect.js';
import { createLogger } from '../../core/logger.js';
import { keysOf, readAll } from './conformance.js';
import { mariadbConfig } from './legacy-sources.js';
import { pgFamilyConfig } from './pg-family-fixture.js';
import { createMariadbDatabase, createPgDatabase, type FreshMariadb, type FreshPg } from './servers.js';

const quiet = createLogger({ level: 'silent' });
const stream = { table: 't_rq', key: 'id', cursor: 'gxrq', lagMs: 1_000 };

async function keysRead(source: SourceConnector): Promise<string[]> {
  return keysOf(await readAll(source, stream, 2));
}

/** Compiles SQL only: no connection is opened. */
const compiler = knexModule({ client: 'mssql', connection: {} });

/** The lag bound's SQL, as knex compiles it, for a GXRQ cursor of the given type (no server). */
function lagBoundSql(dialect: SqlDialect, type: string): string | undefined {
  const col: ColumnMeta = {
    name: 'GXRQ',
    type,
    nullable: false,
    primaryKey: false,
    unique: false,
    leadsIndex: true,
  };
  return dialect.lagBound?.(compiler, 1_000, col).toSQL().sql;
}

describe('a DATE cursor under the lag window', () => {
  describe('on PostgreSQL', () => {
    let fresh: FreshPg;
    let source: SourceConnector;
    beforeAll(async () => {
      fresh = await createPgDatabase();
      await fresh.client.query('CREATE TABLE t_rq (id int PRIMARY KEY, gxrq date NOT NULL)');
      await fresh.client.query(
        'INSERT INTO t_rq VALUES (1, CURRENT_DATE - 3), (2, CURRENT_DATE - 3), (5, CURRENT_DATE), (6, CURRENT_DATE)',
      );
      source = await openSource('legacy', pgFamilyConfig('postgres', fresh.database), { logger: quiet });
    });
    afterAll(async () => {
      await source?.close();
      await fresh?.drop();
    });

    it("reads the rows of past days and holds back the current day's", async () => {
      expect(await keysRead(source)).toEqual(['1', '2']);
    });
  });

  describe('on MariaDB', () => {
    let fresh: FreshMariadb;
    let source: SourceConnector;
    beforeAll(async () => {
      fresh = await createMariadbDatabase();
      await fresh.conn.query('CREATE TABLE t_rq (id INT PRIMARY KEY, gxrq DATE NOT NULL)');
      await fresh.conn.query(
        'INSERT INTO t_rq VALUES (1, CURDATE() - INTERVAL 3 DAY), (2, CURDATE() - INTERVAL 3 DAY), (5, CURDATE()), (6, CURDATE())',
      );
      source = await openSource('legacy', mariadbConfig(fresh.database), { logger: quiet });
    });
    afterAll(async () => {
      await source?.close();
      await fresh?.drop();
    });

    it("reads the rows of past days and holds back the current day's", async () => {
      expect(await keysRead(source)).toEqual(['1', '2']);
    });
  });

  it('on SQL Server (no server here: the SQL as knex compiles it), bounds a date by the day before', () => {
    const sqlOf = (type: string) => lagBoundSql(mssqlDialect, type);
    expect(sqlOf('date')).toBe('DATEADD(day, -1, CAST(DATEADD(millisecond, ?, SYSDATETIME()) AS date))');
    expect(sqlOf('datetime2(7)')).toBe('DATEADD(millisecond, ?, SYSDATETIME())');
  });

  it('on DM (no server here: the SQL), bounds a DATE, which holds no time of day there, by the day before', () => {
    // DM's DATE is a date alone (its DATETIME and TIMESTAMP hold the time), where Oracle's DATE,
    // whose lag bound DM shares, holds the time of day: bounded as a time, today's rows were read.
    const sqlOf = (type: string) => lagBoundSql(dmDialect, type);
    expect(sqlOf('DATE')).toBe("TRUNC(SYSDATE - NUMTODSINTERVAL(?, 'SECOND')) - 1");
    expect(sqlOf('DATETIME')).toBe("SYSDATE - NUMTODSINTERVAL(?, 'SECOND')");
    expect(sqlOf('TIMESTAMP(6)')).toBe("SYSDATE - NUMTODSINTERVAL(?, 'SECOND')");
  });
});
