/**
 * An Oracle query stream whose query returns a column name twice: `SELECT x.*, q.* FROM T_XKZ x
 * JOIN T_QY q …` over two tables that both have ZT. Oracle selects `*` from such an inline view
 * (it refuses only a reference to the name, ORA-00918), and node-oracledb, asked by knex for rows
 * as objects (OUT_FORMAT_OBJECT), writes each column under its `metaData` name in turn
 * (lib/resultset.js `_processRows`): the row's one ZT is the last column's. A license's status 0
 * (revoked) went to the mappings as the joined table's Q-8, without a word. The stream is refused
 * before a row is read, naming the column, never a value, as a PostgreSQL one is
 * (pg-query-repeated-columns.int.test.ts).
 *
 * No Oracle server runs here: the driver's getConnection hands out a connection standing in for
 * one, answering the probe with `metaData` as node-oracledb builds it (thin/protocol/messages/
 * withData.js `processColumnInfo`) and a page with rows made from the server's columns as
 * node-oracledb makes them for OUT_FORMAT_OBJECT.
 */
import knex from 'knex';
import { describe, expect, it } from 'vitest';
import { withSourceDefaults } from '../../config/source-defaults.js';
import type { SourceConfig } from '../../config/types.js';
import type { SourceRow } from '../../connectors/source.js';
import { oracleDialect } from '../../connectors/sql/dialects/oracle/dialect.js';
import { SqlSource } from '../../connectors/sql/sql-source.js';
import { createLogger } from '../../core/logger.js';
import { fakeOracleDriver, oracledb, restoreOracleDriverAfterEach } from './oracle-fake-driver.js';

restoreOracleDriverAfterEach();

const column = (name: string, dbType: unknown) => ({ name, dbColumnName: name, dbType, nullable: true });

/** `SELECT x.*, q.*`: T_XKZ (ID, ZT, GXSJ), then T_QY (XKZ_ID, ZT, MC). */
const JOINED_META = [
  column('ID', oracledb.DB_TYPE_NUMBER),
  column('ZT', oracledb.DB_TYPE_VARCHAR),
  column('GXSJ', oracledb.DB_TYPE_DATE),
  column('XKZ_ID', oracledb.DB_TYPE_NUMBER),
  column('ZT', oracledb.DB_TYPE_VARCHAR),
  column('MC', oracledb.DB_TYPE_VARCHAR),
];
/** The rows as the server sends them, column by column (made-up values). */
const JOINED_ROWS = [
  ['1', '1', '2024-01-01 00:00:00', '1', 'Q-9', '甲'],
  ['2', '0', '2024-01-02 00:00:00', '2', 'Q-8', '乙'],
];

/** `SELECT x.*, q.ZT AS QY_ZT, q.MC`: each name once. */
const NAMED_META = [
  ...JOINED_META.slice(0, 3),
  column('QY_ZT', oracledb.DB_TYPE_VARCHAR),
  column('MC', oracledb.DB_TYPE_VARCHAR),
];
const NAMED_ROWS = JOINED_ROWS.map((r) => [...r.slice(0, 3), ...r.slice(4)]);

/** A row as node-oracledb makes it for OUT_FORMAT_OBJECT: each column under its name, in turn. */
function asObject(metaData: { name: string }[], row: unknown[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  metaData.forEach((c, j) => {
    out[c.name] = row[j];
  });
  return out;
}

/** A connection standing in for an Oracle server whose query returns `metaData`; the SQL of each statement kept. */
function fakeServer(metaData: { name: string }[], rows: unknown[][]): string[] {
  const statements: string[] = [];
  fakeOracleDriver<unknown[], Record<string, unknown>>(() => (sql, _binds, _options, done) => {
    statements.push(sql);
    const answer = (objects: Record<string, unknown>[], meta?: unknown[]) => {
      const pending = [...objects];
      done(null, {
        rows: objects,
        ...(meta ? { metaData: meta } : {}),
        resultSet: {
          getRows: (n: number, cb: (e: null, r: unknown[]) => void) => cb(null, pending.splice(0, n)),
          close: (cb?: () => void) => cb?.(),
        },
      });
    };
    if (!/lb_q/.test(sql) || /is null/i.test(sql)) return answer([]);
    // The probe: no row, the columns described.
    if (/WHERE 1 = 0/.test(sql)) return answer([], metaData);
    answer(rows.map((r) => asObject(metaData, r)));
  });
  return statements;
}

const sourceConfig = () =>
  withSourceDefaults({
    kind: 'oracle',
    connection: { host: 'db.example', database: 'ORCL', user: 'lic', password: 'pw' },
    pageSize: 10,
  } as unknown as SourceConfig);

const JOINED = 'SELECT x.*, q.* FROM SPXK.T_XKZ x JOIN SPXK.T_QY q ON q.XKZ_ID = x.ID';

async function withSource<T>(use: (source: SqlSource) => Promise<T>): Promise<T> {
  const db = knex(await oracleDialect.knexConfig('market-food', sourceConfig()));
  const source = new SqlSource('market-food', sourceConfig(), oracleDialect, db, {
    logger: createLogger({ level: 'silent' }),
  });
  try {
    return await use(source);
  } finally {
    await source.close();
  }
}

function rowsOf(stream: {
  table: string;
  key: string;
  cursor?: string;
  query: string;
}): Promise<SourceRow[]> {
  return withSource(async (source) => {
    const rows: SourceRow[] = [];
    for await (const page of source.read({ stream, after: null, pageSize: 10 })) rows.push(...page.rows);
    return rows;
  });
}

describe('oracle query stream returning a column name twice', { timeout: 20_000 }, () => {
  it.each([
    ['without a cursor', {}],
    ['with a cursor', { cursor: 'GXSJ' }],
  ])('is refused %s before a row is read, naming the column', async (_, cursor) => {
    const statements = fakeServer(JOINED_META, JOINED_ROWS);
    const read = rowsOf({ table: 'q_xkz', key: 'ID', ...cursor, query: JOINED });
    await expect(read).rejects.toMatchObject({
      code: 'LB_SOURCE_SCHEMA',
      message: expect.stringMatching(/stream `q_xkz` returns column `ZT` twice/),
    });
    await expect(read).rejects.not.toMatchObject({ message: expect.stringMatching(/Q-|甲/) });
    // The probe only: no page was read.
    expect(statements.filter((s) => /lb_q/.test(s) && !/WHERE 1 = 0/.test(s))).toEqual([]);
  });

  it('is refused by the check of the stream', async () => {
    fakeServer(JOINED_META, JOINED_ROWS);
    await expect(
      withSource((source) => source.checkStream({ table: 'q_xkz', key: 'ID', query: JOINED })),
    ).rejects.toMatchObject({
      code: 'LB_SOURCE_SCHEMA',
      message: expect.stringMatching(/returns column `ZT` twice/),
    });
  });

  it("reads each license's own status once the query names each column once", async () => {
    fakeServer(NAMED_META, NAMED_ROWS);
    const query = 'SELECT x.*, q.ZT AS QY_ZT, q.MC FROM SPXK.T_XKZ x JOIN SPXK.T_QY q ON q.XKZ_ID = x.ID';
    const rows = await rowsOf({ table: 'q_xkz', key: 'ID', query });
    expect(rows.map((r) => [r.key, r.values.ZT, r.values.QY_ZT])).toEqual([
      ['1', '1', 'Q-9'],
      ['2', '0', 'Q-8'],
    ]);
  });
});
