/**
 * An Oracle query stream's cursor typed by the database (dialect.ts `queryColumnTypes`). Oracle
 * could not type a query's columns, so a query stream's DATE or TIMESTAMP cursor was no date/time
 * to the reads: at lagMs 0 it was not held to the database's clock as a table stream's is
 * (keyset.ts `readBound`), and a row dated ahead of it — a "never" placeholder such as 9999-12-31 —
 * was read, put the checkpoint there, and every row changed afterwards lay behind it for good. The
 * type now comes from the metadata node-oracledb gives a query reading none of its rows, and such a
 * cursor is bounded by SYSDATE (SYSTIMESTAMP for a zoned one), as a table stream's is.
 *
 * No Oracle server runs here: the driver's getConnection hands out a connection standing in for
 * one, answering the probe with `metaData` as node-oracledb builds it (thin/protocol/messages/
 * withData.js `processColumnInfo`: name, dbColumnName, the driver's own DbType, nullable) and a
 * page with the rows a server would return for its SQL.
 */
import knex from 'knex';
import { describe, expect, it } from 'vitest';
import { withSourceDefaults } from '../../config/source-defaults.js';
import type { SourceConfig } from '../../config/types.js';
import { decodeKeyPosition } from '../../connectors/key-position.js';
import type { Page } from '../../connectors/source.js';
import { dmDialect } from '../../connectors/sql/dialects/dm/dialect.js';
import { oracleDialect } from '../../connectors/sql/dialects/oracle/dialect.js';
import { SqlSource } from '../../connectors/sql/sql-source.js';
import { createLogger } from '../../core/logger.js';
import { fakeOracleDriver, oracledb, restoreOracleDriverAfterEach } from './oracle-fake-driver.js';

restoreOracleDriverAfterEach();

/** The query's columns as node-oracledb describes them. */
const META = [
  { name: 'ID', dbColumnName: 'ID', dbType: oracledb.DB_TYPE_NUMBER, nullable: false },
  { name: 'GXSJ', dbColumnName: 'GXSJ', dbType: oracledb.DB_TYPE_DATE, nullable: true },
  { name: 'FZSJ', dbColumnName: 'FZSJ', dbType: oracledb.DB_TYPE_TIMESTAMP_TZ, nullable: true },
  { name: 'YXQ', dbColumnName: 'YXQ', dbType: oracledb.DB_TYPE_TIMESTAMP_LTZ, nullable: true },
  { name: 'MC', dbColumnName: 'MC', dbType: oracledb.DB_TYPE_VARCHAR, nullable: true },
];

/** The stored rows; 9999-12-31 is the application's "never changes again". */
const ROWS = [
  { ID: '1', GXSJ: '2024-03-01 08:00:05', FZSJ: '2024-03-01 00:00:05 +00:00' },
  { ID: '2', GXSJ: '9999-12-31 00:00:00', FZSJ: '9999-12-31 00:00:00 +00:00' },
];
/** The server's SYSDATE. */
const NOW = '2026-12-06 09:00:00';

interface Statement {
  sql: string;
  options: Record<string, unknown>;
}

/** A connection standing in for an Oracle server; every statement it runs is kept. */
function fakeServer(): Statement[] {
  const statements: Statement[] = [];
  fakeOracleDriver<unknown[], Record<string, unknown>>(() => (sql, _binds, options, done) => {
    statements.push({ sql, options });
    const answer = (rows: Record<string, unknown>[], metaData?: unknown[]) => {
      const pending = [...rows];
      done(null, {
        rows,
        ...(metaData ? { metaData } : {}),
        resultSet: {
          getRows: (n: number, cb: (e: null, r: unknown[]) => void) => cb(null, pending.splice(0, n)),
          close: (cb?: () => void) => cb?.(),
        },
      });
    };
    if (!/lb_q/.test(sql) || /is null/i.test(sql)) return answer([]);
    // The probe: no row, the columns described.
    if (/WHERE 1 = 0/.test(sql)) return answer([], META);
    // A page: the server holds back a cursor ahead of its clock when the SQL says so.
    const bounded = /"GXSJ" <= SYSDATE - NUMTODSINTERVAL\(/.test(sql);
    answer(ROWS.filter((r) => !bounded || r.GXSJ <= NOW).map((r) => ({ ...r, __lb_cursor_text: r.GXSJ })));
  });
  return statements;
}

const sourceConfig = () =>
  withSourceDefaults({
    kind: 'oracle',
    connection: { host: 'db.example', database: 'ORCL', user: 'lic', password: 'pw' },
    pageSize: 10,
  } as unknown as SourceConfig);

const stream = {
  table: 'licenses',
  key: 'ID',
  cursor: 'GXSJ',
  keyUnique: true,
  lagMs: 0,
  query: 'SELECT ID, GXSJ, FZSJ, YXQ, MC FROM SPXK.T_XKZ',
};

async function readPages(read: Partial<typeof stream> = {}): Promise<Page[]> {
  const db = knex(await oracleDialect.knexConfig('market-food', sourceConfig()));
  const source = new SqlSource('market-food', sourceConfig(), oracleDialect, db, {
    logger: createLogger({ level: 'silent' }),
  });
  const pages: Page[] = [];
  try {
    for await (const page of source.read({ stream: { ...stream, ...read }, after: null, pageSize: 10 }))
      pages.push(page);
  } finally {
    await source.close();
  }
  return pages;
}

describe('oracle query stream: the cursor typed by the database', { timeout: 20_000 }, () => {
  it("names a query's date and time columns from node-oracledb's metaData, reading no row", async () => {
    const statements = fakeServer();
    const db = knex(await oracleDialect.knexConfig('market-food', sourceConfig()));
    try {
      const types = await oracleDialect.queryColumnTypes?.(
        { sql: 'SELECT ID, GXSJ, FZSJ, YXQ, MC FROM SPXK.T_XKZ WHERE DQ = ?', params: ['synthetic-1'] },
        (q) => Promise.resolve(q(db)),
      );
      expect(Object.fromEntries(types ?? [])).toEqual({
        GXSJ: 'DATE',
        FZSJ: 'TIMESTAMP WITH TIME ZONE',
        YXQ: 'TIMESTAMP WITH LOCAL TIME ZONE',
      });
      const probe = statements.find((s) => /lb_q/.test(s.sql));
      expect(probe?.sql).toBe(
        'SELECT * FROM (SELECT ID, GXSJ, FZSJ, YXQ, MC FROM SPXK.T_XKZ WHERE DQ = :1) lb_q WHERE 1 = 0',
      );
      // The marker asking knex's client for the metadata is not handed to the driver.
      expect(Object.keys(probe?.options ?? {})).not.toContain('licbridgeColumnMetadata');
    } finally {
      await db.destroy();
    }
  });

  it('holds a row dated ahead of the database clock back at lagMs 0, the checkpoint not passing it', async () => {
    const statements = fakeServer();
    const pages = await readPages();
    expect(pages.flatMap((p) => p.rows.map((r) => r.key))).toEqual(['1']);
    const last = pages.at(-1)?.checkpoint ?? '';
    expect(decodeKeyPosition(last, 'market-food').cursor).toBe('2024-03-01 08:00:05');
    // Bounded by the server's clock, never the session zone's LOCALTIMESTAMP.
    // The cursor's pages (the pass over rows without a cursor has no bound to take).
    const pageSql = statements.filter((s) => /lb_q/.test(s.sql) && /order by "GXSJ"/i.test(s.sql));
    expect(pageSql.length).toBeGreaterThan(0);
    for (const s of pageSql) expect(s.sql).toContain('"GXSJ" <= SYSDATE - NUMTODSINTERVAL(');
  });

  it('bounds a zoned cursor under a lag window by SYSTIMESTAMP, not the zone-less SYSDATE', async () => {
    // SYSDATE, a DATE, compared with a TIMESTAMP WITH TIME ZONE is taken in the session's time
    // zone (the licbridge host's), not the server's own: the bound lay off by the zones' difference.
    const statements = fakeServer();
    await readPages({ cursor: 'FZSJ', lagMs: 5000 });
    const pageSql = statements.filter((s) => /lb_q/.test(s.sql) && /order by "FZSJ"/i.test(s.sql));
    expect(pageSql.length).toBeGreaterThan(0);
    for (const s of pageSql) expect(s.sql).toContain('"FZSJ" <= SYSTIMESTAMP - NUMTODSINTERVAL(');
  });

  it('leaves a DM query stream untyped: its driver hands knex no metadata', () => {
    expect(dmDialect.queryColumnTypes).toBeUndefined();
  });
});
