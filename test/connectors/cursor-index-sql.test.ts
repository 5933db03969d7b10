/**
 * Which columns lead an index, on SQL Server, Oracle and DM: servers that cannot run here. As
 * for their paging SQL (dialects-sql.test.ts, dm.test.ts), what is tested is what can be without
 * one: the catalog statement each dialect sends through its real knex client and driver module
 * (tedious' Request and its typed parameters; knex's oracledb execution path, which DM's client
 * shares), and what the dialect makes of the rows in the shape those drivers return them —
 * tedious rows of `{ metadata: { colName }, value }`, node-oracledb objects keyed by upper-case
 * names with NUMBER fetched as text. A connection stands in for the server and answers with them.
 */
import { Writable } from 'node:stream';
import knexModule, { type Knex } from 'knex';
import type { Request } from 'tedious';
import { describe, expect, it } from 'vitest';
import { withSourceDefaults } from '../../config/source-defaults.js';
import type { SourceConfig } from '../../config/types.js';
import type { SqlDialect } from '../../connectors/sql/dialect.js';
import { dmDialect } from '../../connectors/sql/dialects/dm/dialect.js';
import { mssqlDialect } from '../../connectors/sql/dialects/mssql/dialect.js';
import { oracleDialect } from '../../connectors/sql/dialects/oracle/dialect.js';
import { SqlSource } from '../../connectors/sql/sql-source.js';
import { createLogger } from '../../core/logger.js';

type Row = Record<string, unknown>;

interface Sent {
  sql: string;
  bindings: unknown[];
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

/** A tedious connection that answers each Request with rows (tedious' row shape). */
function tediousConnection(answer: (sql: string) => Row[], sent: Sent[]) {
  return {
    state: { name: 'LoggedIn' },
    execSql(request: Request & { sqlTextOrProcedure: string; parameters: { value: unknown }[] }) {
      sent.push({ sql: request.sqlTextOrProcedure, bindings: request.parameters.map((p) => p.value) });
      const rows = answer(request.sqlTextOrProcedure);
      for (const row of rows) {
        request.emit(
          'row',
          Object.entries(row).map(([colName, value]) => ({ metadata: { colName }, value })),
        );
      }
      (request as unknown as { callback(err: undefined, rowCount: number): void }).callback(
        undefined,
        rows.length,
      );
    },
  };
}

/** A node-oracledb (or dmdb) connection as knex's oracledb client drives it. */
function oracleConnection(answer: (sql: string) => Row[], sent: Sent[]) {
  return {
    isTransaction: true,
    async executeAsync(sql: string, bindings: unknown[]) {
      sent.push({ sql, bindings });
      return { rows: answer(sql) };
    },
    async commitAsync() {},
  };
}

const leadsOf = (columns: { name: string; leadsIndex: boolean | null }[]) =>
  Object.fromEntries(columns.map((c) => [c.name, c.leadsIndex]));

const squeeze = (sql: string) => sql.replace(/\s+/g, ' ');

describe('mssql: leading index columns from sys.indexes and sys.index_columns', () => {
  const db = knexModule({ client: 'mssql', connection: {} });

  const rows: Row[] = [
    // bit columns come as booleans, CASE … THEN 1 ELSE 0 as numbers.
    { name: 'ID', type: 'int', nullable: false, pk: 1, uq: 0, leads: 1, isView: 0 },
    { name: 'GXSJ', type: 'datetime2(7)', nullable: true, pk: 0, uq: 0, leads: 0, isView: 0 },
    { name: 'XKZBH', type: 'char(20)', nullable: true, pk: 0, uq: 1, leads: 1, isView: 0 },
  ];

  it('asks in the one catalog statement for key_ordinal 1 of an enabled, unfiltered B-tree', async () => {
    const sent: Sent[] = [];
    answering(
      db,
      tediousConnection(() => rows, sent),
    );
    const columns = await mssqlDialect.describeTable(db, { schema: 'dbo', name: 'T_SPXK_XKZ' });
    expect(sent).toHaveLength(1);
    const sql = squeeze(sent[0]?.sql ?? '');
    expect(sql).toContain(
      'CASE WHEN EXISTS (SELECT 1 FROM sys.indexes i JOIN sys.index_columns ic ON ic.object_id = i.object_id AND ic.index_id = i.index_id WHERE i.object_id = c.object_id AND ic.column_id = c.column_id AND ic.key_ordinal = 1 AND i.type IN (1, 2) AND i.is_disabled = 0 AND i.is_hypothetical = 0 AND i.has_filter = 0) THEN 1 ELSE 0 END AS leads',
    );
    expect(sql).toContain("CASE WHEN o.type = 'V' THEN 1 ELSE 0 END AS isView");
    expect(sql).toContain(
      'JOIN sys.objects o ON o.object_id = c.object_id WHERE c.object_id = OBJECT_ID(@p0)',
    );
    expect(sent[0]?.bindings).toEqual(['dbo.T_SPXK_XKZ']);
    expect(leadsOf(columns)).toEqual({ ID: true, GXSJ: false, XKZBH: true });
    expect(columns.find((c) => c.name === 'XKZBH')).toMatchObject({ unique: true, primaryKey: false });
  });

  it('cannot tell for a view', async () => {
    answering(
      db,
      tediousConnection(() => rows.map((r) => ({ ...r, leads: 0, isView: 1 })), []),
    );
    const columns = await mssqlDialect.describeTable(db, { name: 'V_SPXK_XKZ' });
    expect(leadsOf(columns)).toEqual({ ID: null, GXSJ: null, XKZBH: null });
  });

  it('a source on it warns once that the cursor leads no index, and reads the catalog once', async () => {
    const sent: Sent[] = [];
    answering(
      db,
      tediousConnection(
        (sql) => (/INFORMATION_SCHEMA\.TABLES/.test(sql) ? [{ name: 'T_SPXK_XKZ' }] : rows),
        sent,
      ),
    );
    let text = '';
    const destination = new Writable({
      write(chunk: Buffer, _e, done) {
        text += chunk.toString('utf8');
        done();
      },
    });
    const config: SourceConfig = {
      kind: 'mssql',
      connection: { host: 'db.example' },
      trim: 'all',
      pageSize: 500,
    };
    const source = new SqlSource('food', withSourceDefaults(config), mssqlDialect, db, {
      logger: createLogger({ destination, level: 'warn' }),
    });
    await source.checkStream({ table: 'T_SPXK_XKZ', key: 'ID', cursor: 'GXSJ' });
    await source.checkStream({ table: 'T_SPXK_XKZ', key: 'ID', cursor: 'GXSJ', lagMs: 1000 });
    const lines = text.split('\n').filter(Boolean);
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0] ?? '{}')).toMatchObject({
      level: 40,
      source: 'food',
      table: 'T_SPXK_XKZ',
      cursor: 'GXSJ',
      keyColumn: 'ID',
      msg: expect.stringContaining('ask the department for an index on (GXSJ, ID)'),
    });
    // A cursor an index leads: nothing more is said.
    await source.checkStream({ table: 'T_SPXK_XKZ', key: 'ID', cursor: 'XKZBH' });
    expect(text.split('\n').filter(Boolean)).toHaveLength(1);
  });
});

/** ALL_TAB_COLUMNS rows as node-oracledb returns them: upper-case keys, NUMBER (COUNT) as text. */
const oracleRows: Row[] = [
  {
    NAME: 'ID',
    TYPE: 'NUMBER(10,0)',
    NULLABLE: 'N',
    PK: '1',
    UQ: '0',
    OWNER: 'SPXK',
    TABLE_NAME: 'T_SPXK_XKZ',
  },
  {
    NAME: 'GXSJ',
    TYPE: 'TIMESTAMP(6)',
    NULLABLE: 'Y',
    PK: '0',
    UQ: '0',
    OWNER: 'SPXK',
    TABLE_NAME: 'T_SPXK_XKZ',
  },
  { NAME: 'FZRQ', TYPE: 'DATE', NULLABLE: 'Y', PK: '0', UQ: '0', OWNER: 'SPXK', TABLE_NAME: 'T_SPXK_XKZ' },
];
/** The index catalog's answer: position-1 counts by column (GXSJ leads none). */
const leadRows: Row[] = [
  { NAME: 'ID', LEADS: '1' },
  { NAME: 'FZRQ', LEADS: '2' },
];

/** An Oracle-family server: its columns, whether the table is a view, and its index counts. */
function oracleCatalog(options: { view?: boolean; indexes?: 'answer' | 'fail' } = {}) {
  return (sql: string): Row[] => {
    // Any statement naming the index catalog fails on such a server — what Oracle 10g says of
    // ALL_INDEXES.visibility, and DM of a view it lacks.
    if (options.indexes === 'fail' && /all_ind_columns/i.test(sql)) {
      throw Object.assign(new Error('ORA-00904: "IX"."VISIBILITY": invalid identifier'), {
        errorNum: 904,
        code: 'ORA-00904',
      });
    }
    if (/all_tab_columns c/i.test(sql)) return oracleRows;
    if (/all_tables/i.test(sql)) return [{ NAME: 'T_SPXK_XKZ' }];
    if (/FROM all_views WHERE/i.test(sql)) return [{ N: options.view ? '1' : '0' }];
    if (/all_ind_columns/i.test(sql)) return leadRows;
    throw new Error(`unexpected statement: ${sql}`);
  };
}

async function described(dialect: SqlDialect, db: Knex, answer: (sql: string) => Row[]) {
  const sent: Sent[] = [];
  answering(db, oracleConnection(answer, sent));
  const columns = await dialect.describeTable(db, { schema: 'SPXK', name: 'T_SPXK_XKZ' });
  const columnsSql = sent.find((x) => /all_tab_columns c/i.test(x.sql));
  const indexSql = sent.find((x) => /all_ind_columns/i.test(x.sql));
  return {
    columns,
    sent,
    sql: squeeze(columnsSql?.sql ?? ''),
    bindings: columnsSql?.bindings ?? [],
    indexSql: squeeze(indexSql?.sql ?? ''),
    indexBindings: indexSql?.bindings ?? [],
  };
}

describe('oracle: leading index columns from ALL_IND_COLUMNS and ALL_INDEXES', () => {
  const db = knexModule({ client: 'oracledb', connection: {} });

  it('counts position-1 columns of usable, visible B-tree indexes in a statement of their own', async () => {
    const { columns, sql, bindings, indexSql, indexBindings } = await described(
      oracleDialect,
      db,
      oracleCatalog(),
    );
    expect(indexSql).toContain(
      "FROM all_ind_columns ic JOIN all_indexes ix ON ix.owner = ic.index_owner AND ix.index_name = ic.index_name WHERE ic.table_owner = :1 AND ic.table_name = :2 AND ic.column_position = 1 AND ix.index_type IN ('NORMAL', 'IOT - TOP') AND ix.status <> 'UNUSABLE' AND ix.visibility = 'VISIBLE'",
    );
    // The owner and name as the dictionary stores them, from the columns' own rows.
    expect(indexBindings).toEqual(['SPXK', 'T_SPXK_XKZ']);
    // The columns' statement names no index view: it is the one every Oracle version answers.
    expect(sql).not.toMatch(/all_ind_columns|all_indexes|visibility|all_views/i);
    // Bound with node-oracledb's positional markers, the schema and name as given.
    expect(sql).toContain('WHERE c.owner = NVL(:1, USER)');
    expect(bindings.slice(0, 2)).toEqual(['SPXK', 'T_SPXK_XKZ']);
    expect(leadsOf(columns)).toEqual({ ID: true, GXSJ: false, FZRQ: true });
  });

  it('cannot tell for a view', async () => {
    const { columns } = await described(oracleDialect, db, oracleCatalog({ view: true }));
    expect(leadsOf(columns)).toEqual({ ID: null, GXSJ: null, FZRQ: null });
  });

  it('still describes the table, and resolves its streams, when the index catalog cannot be read (Oracle 10g)', async () => {
    const { columns } = await described(oracleDialect, db, oracleCatalog({ indexes: 'fail' }));
    expect(columns.map((c) => [c.name, c.primaryKey, c.nullable])).toEqual([
      ['ID', true, false],
      ['GXSJ', false, true],
      ['FZRQ', false, true],
    ]);
    expect(leadsOf(columns)).toEqual({ ID: null, GXSJ: null, FZRQ: null });
    const source = new SqlSource(
      'food',
      withSourceDefaults({ kind: 'oracle', connection: { host: 'db.example' }, trim: 'all', pageSize: 500 }),
      oracleDialect,
      db,
    );
    await expect(
      source.checkStream({ table: 'SPXK.T_SPXK_XKZ', key: 'ID', cursor: 'GXSJ' }),
    ).resolves.toBeUndefined();
  });
});

describe('dm: leading index columns from ALL_IND_COLUMNS (through the DM knex client)', () => {
  const dmDb = async () =>
    knexModule(
      await dmDialect.knexConfig('dm-src', {
        kind: 'dm',
        connection: { host: 'dm.example', user: 'SPXK_RO' },
        trim: 'all',
        pageSize: 500,
      }),
    );

  it('counts position-1 columns without reading ALL_INDEXES, in a statement of their own', async () => {
    const db = await dmDb();
    const { columns, sql, indexSql } = await described(dmDialect, db, oracleCatalog());
    expect(indexSql).toContain(
      'FROM all_ind_columns ic WHERE ic.table_owner = :1 AND ic.table_name = :2 AND ic.column_position = 1',
    );
    expect(indexSql).not.toContain('all_indexes');
    expect(sql).not.toMatch(/all_ind_columns|all_indexes|all_views/i);
    expect(leadsOf(columns)).toEqual({ ID: true, GXSJ: false, FZRQ: true });
    await db.destroy();
  });

  it('still describes the table when the server has no ALL_IND_COLUMNS', async () => {
    const db = await dmDb();
    const { columns } = await described(dmDialect, db, oracleCatalog({ indexes: 'fail' }));
    expect(columns.map((c) => c.name)).toEqual(['ID', 'GXSJ', 'FZRQ']);
    expect(leadsOf(columns)).toEqual({ ID: null, GXSJ: null, FZRQ: null });
    await db.destroy();
  });
});
