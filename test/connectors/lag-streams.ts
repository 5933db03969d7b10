/**
 * Set-up shared by the connector tests of the lag window and the SQL it bounds: a column as the
 * catalog describes it, a table stream keyed by one column and read by a date/time cursor, the SQL
 * of a first page and of the keyless rows (where the bound lies, compiled by knex without a
 * server), and, against a real server, which rows the read bound lets through.
 */
import knexModule, { type Knex } from 'knex';
import { afterAll, beforeAll } from 'vitest';
import type { ColumnMeta, SqlDialect } from '../../connectors/sql/dialect.js';
import { cursorPage, keylessRows, type ResolvedStream, readBound } from '../../connectors/sql/keyset.js';

/** The lag window the tests read under, ms. */
export const LAG_MS = 5_000;

/** A nullable column, neither key nor unique, that leads an index, unless `over` says otherwise. */
export const column = (name: string, type: string, over: Partial<ColumnMeta> = {}): ColumnMeta => ({
  name,
  type,
  nullable: true,
  primaryKey: false,
  unique: false,
  leadsIndex: true,
  ...over,
});

/** A table of two columns, `key` and `cursor`, read by its cursor; a lag window only for a positive lagMs. */
export const cursorStream = (
  table: string,
  key: ColumnMeta,
  cursor: ColumnMeta,
  lagMs = 0,
): ResolvedStream & { cursor: ColumnMeta } => ({
  table,
  columns: [key, cursor],
  key,
  cursor,
  ...(lagMs ? { lagMs } : {}),
});

/** A legacy SQL Server license table keyed by an int ID, read by GXSJ under the lag window. */
export const mssqlLagStream = (cursorType: string) =>
  cursorStream('dbo.T_SPXK_XKZ', column('ID', 'int'), column('GXSJ', cursorType), LAG_MS);

/** A legacy Oracle (or DM) license table keyed by a NUMBER(10,0) ID, read by GXSJ. */
export const oracleLagStream = (cursorType: string) =>
  cursorStream('SPXK.T_XKZ', column('ID', 'NUMBER(10,0)'), column('GXSJ', cursorType), LAG_MS);

/** A first page's and the keyless rows' SQL with its bound values, as the dialect bounds both. */
export const boundedReads = (
  db: Knex,
  dialect: SqlDialect,
  s: ResolvedStream & { cursor: ColumnMeta },
): Knex.SqlNative[] =>
  [cursorPage(db, dialect, s, null, 5), keylessRows(db, dialect, s, {}, 5)].map((q) => q.toSQL().toNative());

/** A knex on a test server for the file's tests, of one connection: made before them, destroyed after. */
export function serverKnex(config: Knex.Config): () => Knex {
  let db: Knex | undefined;
  beforeAll(() => {
    db = knexModule({ ...config, pool: { min: 0, max: 1 } });
  });
  afterAll(async () => {
    await db?.destroy();
  });
  return () => {
    if (!db) throw new Error('the test server knex is made before the tests');
    return db;
  };
}

/**
 * Which of two rows the dialect's read bound under LAG_MS lets a read take: `now`, whose cursor
 * `gxsj` (of `cursorType`) is the SQL expression `at`, and `before`, whose cursor is `earlier`. Both
 * are placed against the server's clock in the very statement that bounds them: no wait, no race.
 */
export async function takenByBound(
  db: Knex,
  dialect: SqlDialect,
  cursorType: string,
  at: string,
  earlier: string,
): Promise<string[]> {
  const rows = db
    .select('id')
    .from(db.raw(`(SELECT 'now' AS id, ${at} AS gxsj UNION ALL SELECT 'before', ${earlier}) AS t`));
  const cursor = column('gxsj', cursorType, { nullable: false });
  const bound = readBound(db, dialect, { cursor, lagMs: LAG_MS });
  if (!bound) throw new Error(`a ${cursorType} cursor under a lag window is bounded`);
  const found = (await rows.where(bound)) as { id: string }[];
  return found.map((r) => r.id).sort();
}
