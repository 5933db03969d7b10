/**
 * An Oracle query stream whose cursor is a TIMESTAMP(p) of fewer than six digits, under the lag
 * window. A table stream's TIMESTAMP(0) is bounded a second further back than lagMs, as a value
 * rounded to the second stands for a change made as late as half a second after it
 * (oracle-second-cursor-lag.test.ts). A query stream's cursor type came from node-oracledb's
 * metaData by the type's name alone, `TIMESTAMP`, read as six digits: its bound was now - lagMs,
 * and a row written at 08:00:00.4 and committed inside the window, after a read took that second's
 * rows, lay behind the checkpoint with a lower key. The metaData gives the digits too (`precision`).
 *
 * No Oracle server runs here: the driver's getConnection hands out a connection standing in for
 * one, answering the probe with `metaData` as node-oracledb builds it (thin/protocol/messages/
 * withData.js `processColumnInfo`: a TIMESTAMP's fractional digits as `precision`).
 */
import knex from 'knex';
import { describe, expect, it } from 'vitest';
import { withSourceDefaults } from '../../config/source-defaults.js';
import type { SourceConfig } from '../../config/types.js';
import { oracleDialect } from '../../connectors/sql/dialects/oracle/dialect.js';
import { SqlSource } from '../../connectors/sql/sql-source.js';
import { createLogger } from '../../core/logger.js';
import { fakeOracleDriver, oracledb, restoreOracleDriverAfterEach } from './oracle-fake-driver.js';

restoreOracleDriverAfterEach();

/** A server whose query column GXSJ is of `dbType` with `precision` digits; the bound values of each page. */
function fakeServer(dbType: unknown, precision: number): number[] {
  const bounds: number[] = [];
  fakeOracleDriver<unknown[], Record<string, unknown>>(() => (sql, binds, _options, done) => {
    const answer = (metaData?: unknown[]) =>
      done(null, {
        rows: [],
        ...(metaData ? { metaData } : {}),
        resultSet: {
          getRows: (_n: number, cb: (e: null, r: unknown[]) => void) => cb(null, []),
          close: (cb?: () => void) => cb?.(),
        },
      });
    if (/WHERE 1 = 0/.test(sql))
      return answer([
        { name: 'ID', dbColumnName: 'ID', dbType: oracledb.DB_TYPE_NUMBER, nullable: false, precision: 10 },
        { name: 'GXSJ', dbColumnName: 'GXSJ', dbType, nullable: false, precision },
      ]);
    const at = /"GXSJ" <= SYS(?:DATE|TIMESTAMP) - NUMTODSINTERVAL\(:(\d+), 'SECOND'\)/.exec(sql)?.[1];
    if (at !== undefined && /order by "GXSJ"/i.test(sql)) bounds.push(binds[Number(at) - 1] as number);
    answer();
  });
  return bounds;
}

const sourceConfig = () =>
  withSourceDefaults({
    kind: 'oracle',
    connection: { host: 'db.example', database: 'ORCL', user: 'lic', password: 'pw' },
    pageSize: 10,
  } as unknown as SourceConfig);

/** The seconds back of the server's clock the pages of the query stream are bounded at (lagMs 5000). */
async function secondsBack(dbType: unknown, precision: number): Promise<number[]> {
  const bounds = fakeServer(dbType, precision);
  const db = knex(await oracleDialect.knexConfig('market-food', sourceConfig()));
  const source = new SqlSource('market-food', sourceConfig(), oracleDialect, db, {
    logger: createLogger({ level: 'silent' }),
  });
  const stream = {
    table: 'licenses',
    key: 'ID',
    cursor: 'GXSJ',
    keyUnique: true,
    lagMs: 5000,
    query: 'SELECT ID, GXSJ FROM SPXK.T_XKZ',
  };
  try {
    for await (const _ of source.read({ stream, after: null, pageSize: 10 })) {
      // No rows: only the bound is looked at.
    }
  } finally {
    await source.close();
  }
  return bounds;
}

describe('oracle query stream with a TIMESTAMP(p) cursor under the lag window', { timeout: 20_000 }, () => {
  it.each([
    ['TIMESTAMP(0)', oracledb.DB_TYPE_TIMESTAMP, 0, 6],
    ['TIMESTAMP(3)', oracledb.DB_TYPE_TIMESTAMP, 3, 5.001],
    ['TIMESTAMP(0) WITH TIME ZONE', oracledb.DB_TYPE_TIMESTAMP_TZ, 0, 6],
    ['TIMESTAMP(6)', oracledb.DB_TYPE_TIMESTAMP, 6, 5],
  ])('%s: bounded as a table stream of that type is', async (_, dbType, precision, back) => {
    const bounds = await secondsBack(dbType, precision);
    expect(bounds.length).toBeGreaterThan(0);
    expect(new Set(bounds)).toEqual(new Set([back]));
  });
});
