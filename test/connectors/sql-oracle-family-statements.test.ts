/**
 * What an Oracle-family server (Oracle, DM) is sent, through each kind's real knex client, by a
 * connection standing in for a server that refuses as Oracle does: a SELECT without FROM, and a
 * bare `*` beside another select-list entry, fail with ORA-00923 ("FROM keyword not found where
 * expected"). Neither server can run here; the rows come back in node-oracledb's shape (upper-case
 * keys, NUMBER as text, the cursor's text under its quoted alias).
 */
import knexModule, { type Knex } from 'knex';
import { describe, expect, it } from 'vitest';
import { withSourceDefaults } from '../../config/source-defaults.js';
import type { Page } from '../../connectors/source.js';
import type { SqlDialect } from '../../connectors/sql/dialect.js';
import { dmDialect } from '../../connectors/sql/dialects/dm/dialect.js';
import { oracleDialect } from '../../connectors/sql/dialects/oracle/dialect.js';
import { SqlSource } from '../../connectors/sql/sql-source.js';

type Row = Record<string, unknown>;

const ORA_00923 = () =>
  Object.assign(new Error('ORA-00923: FROM keyword not found where expected'), {
    errorNum: 923,
    code: 'ORA-00923',
  });

/** ALL_TAB_COLUMNS rows as node-oracledb returns them. */
const COLUMNS: Row[] = [
  { NAME: 'ID', TYPE: 'NUMBER(10,0)', NULLABLE: 'N', PK: '1', UQ: '0', OWNER: 'SPXK', TABLE_NAME: 'T_XKZ' },
  { NAME: 'GXSJ', TYPE: 'DATE', NULLABLE: 'Y', PK: '0', UQ: '0', OWNER: 'SPXK', TABLE_NAME: 'T_XKZ' },
];

/** The page's rows: the table's columns and the cursor's text. */
const ROWS: Row[] = [
  { ID: '1', GXSJ: new Date(2024, 2, 1, 8), __lb_cursor_text: '2024-03-01 08:00:00' },
  { ID: '2', GXSJ: new Date(2024, 2, 1, 9), __lb_cursor_text: '2024-03-01 09:00:00' },
];

/** A node-oracledb (or dmdb) connection that answers as an Oracle-family server would. */
function oracleLikeServer(sent: string[]) {
  return {
    isTransaction: true,
    async executeAsync(sql: string) {
      sent.push(sql);
      const select = /^\s*select\b/i.test(sql);
      if (select && !/\bfrom\b/i.test(sql)) throw ORA_00923();
      if (/select\s+\*\s*,/i.test(sql)) throw ORA_00923();
      if (/all_tab_columns c/i.test(sql)) return { rows: COLUMNS };
      if (/all_tables/i.test(sql)) return { rows: [{ NAME: 'T_XKZ' }] };
      if (/FROM all_views WHERE/i.test(sql)) return { rows: [{ N: '0' }] };
      if (/all_ind_columns/i.test(sql)) return { rows: [{ NAME: 'ID', LEADS: '1' }] };
      // Rows without a key, the NULL-cursor phase, other rows of the page's keys: none.
      if (/"GXSJ" is null|"ID" is null|"ID" in \(/i.test(sql)) return { rows: [] };
      if (/"GXSJ" is not null/i.test(sql)) return { rows: ROWS };
      return { rows: select ? [{ LB_ONE: '1' }] : [] };
    },
    async commitAsync() {},
    async rollbackAsync() {},
  };
}

/** Lets `db` run its statements on `connection` instead of one from its pool. */
function answering(db: Knex, connection: object): void {
  const client = db.client as {
    acquireConnection(): Promise<unknown>;
    releaseConnection(connection: unknown): Promise<void>;
  };
  client.acquireConnection = async () => connection;
  client.releaseConnection = async () => undefined;
}

const kinds: [string, SqlDialect, () => Promise<Knex>][] = [
  ['oracle', oracleDialect, async () => knexModule({ client: 'oracledb', connection: {} })],
  [
    'dm',
    dmDialect,
    async () =>
      knexModule(
        await dmDialect.knexConfig('legacy', {
          kind: 'dm',
          connection: { host: 'dm.example', user: 'SPXK_RO' },
          trim: 'all',
          pageSize: 500,
        }),
      ),
  ],
];

async function sourceOn(kind: string, dialect: SqlDialect, open: () => Promise<Knex>) {
  const sent: string[] = [];
  const db = await open();
  answering(db, oracleLikeServer(sent));
  const config = withSourceDefaults({
    kind: kind as 'oracle',
    connection: { host: 'db.example' },
    trim: 'all',
    pageSize: 500,
  });
  return { source: new SqlSource('legacy', config, dialect, db), sent };
}

describe.each(kinds)('%s', (kind, dialect, open) => {
  it('checkConnection selects its constant row from dual', async () => {
    const { source, sent } = await sourceOn(kind, dialect, open);
    await expect(source.checkConnection()).resolves.toBeUndefined();
    expect(sent).toEqual(['SELECT 1 AS lb_one FROM dual']);
  });

  it('a page with the cursor’s text selects the table’s columns as "T".*, not a bare *', async () => {
    const { source, sent } = await sourceOn(kind, dialect, open);
    const pages: Page[] = [];
    for await (const page of source.read({
      stream: { table: 'SPXK.T_XKZ', key: 'ID', cursor: 'GXSJ' },
      after: null,
      pageSize: 100,
    }))
      pages.push(page);
    expect(pages.flatMap((p) => p.rows.map((r) => r.key))).toEqual(['1', '2']);
    const page = sent.find((s) => /"GXSJ" is not null/i.test(s)) ?? '';
    // Oracle selects its DATE column as text (oracle-wall-clock.test.ts), so it lists the columns.
    const columns = kind === 'oracle' ? /"ID", TO_CHAR\("GXSJ", [^)]*\) AS "GXSJ"/ : /"SPXK"\."T_XKZ"\.\*/;
    expect(page).toMatch(
      new RegExp(
        `^select \\* from \\(select ${columns.source}, \\S+\\("GXSJ".*\\) AS "__lb_cursor_text" from `,
      ),
    );
  });

  it('a query stream’s page selects its columns as lb_q.*', async () => {
    const { source, sent } = await sourceOn(kind, dialect, open);
    const pages: Page[] = [];
    for await (const page of source.read({
      stream: { table: 'licences', key: 'ID', cursor: 'GXSJ', query: 'SELECT ID, GXSJ FROM T_XKZ' },
      after: null,
      pageSize: 100,
    }))
      pages.push(page);
    expect(pages.flatMap((p) => p.rows.map((r) => r.key))).toEqual(['1', '2']);
    const page = sent.find((s) => /"GXSJ" is not null/i.test(s)) ?? '';
    expect(page).toMatch(
      /^select \* from \(select lb_q\.\*, \S+\("GXSJ".*\) AS "__lb_cursor_text" from \(SELECT ID, GXSJ FROM T_XKZ\) lb_q where /,
    );
  });
});
