/**
 * Describing a table in the dialects of the Oracle family (Oracle, DM): its columns, keys and
 * unique constraints from the dictionary views both share, then which columns lead an index, read
 * apart with the dialect's own statement so that a server lacking a view still describes its tables.
 */
import type { Knex } from 'knex';
import { rootLogger } from '../../../../core/logger.js';
import type { ColumnMeta, TableRef } from '../../dialect.js';

/** What describing a table asks of a dialect of the Oracle family besides the shared views. */
export interface OracleFamilyIndexes {
  /** The dialect's kind, named in the one log line when its index catalog cannot be read. */
  kind: string;
  /**
   * The count of indexes each column leads: a SELECT of `name` and `leads` rows, bound with the
   * table's owner and name as the dictionary stores them.
   */
  leads: string;
}

/**
 * The columns of a table from the dictionary views Oracle and DM share (ALL_TAB_COLUMNS,
 * ALL_CONSTRAINTS), then which of them lead an index, in a statement of its own. Index
 * detection only informs (a warning about slow pages): a server whose index catalog lacks a view
 * or a column the statement names (ALL_INDEXES.visibility before Oracle 11g, a DM build without
 * ALL_IND_COLUMNS) leaves `leadsIndex` null for its tables, and every stream still resolves.
 */
export async function describeOracleFamilyTable(
  db: Knex,
  table: TableRef,
  indexes: OracleFamilyIndexes,
): Promise<ColumnMeta[]> {
  // An exact (quoted, mixed-case) name wins; otherwise the upper-case one Oracle stores.
  const rows: {
    NAME: string;
    TYPE: string;
    NULLABLE: string;
    PK: number;
    UQ: number;
    OWNER: string;
    TABLE_NAME: string;
  }[] = await db.raw(
    `SELECT c.column_name AS name,
            c.data_type || CASE
              WHEN c.data_type = 'NUMBER' AND c.data_precision IS NOT NULL
                THEN '(' || c.data_precision || ',' || NVL(c.data_scale, 0) || ')'
              WHEN c.data_type IN ('VARCHAR2','NVARCHAR2','CHAR','NCHAR','RAW')
                THEN '(' || c.char_length || ')'
              ELSE '' END AS type,
            c.nullable AS nullable,
            (SELECT COUNT(*) FROM all_constraints k JOIN all_cons_columns kc
                ON kc.owner = k.owner AND kc.constraint_name = k.constraint_name
              WHERE k.owner = c.owner AND k.table_name = c.table_name AND k.constraint_type = 'P'
                AND kc.column_name = c.column_name
                AND (SELECT COUNT(*) FROM all_cons_columns x WHERE x.owner = k.owner
                      AND x.constraint_name = k.constraint_name) = 1) AS pk,
            (SELECT COUNT(*) FROM all_constraints k JOIN all_cons_columns kc
                ON kc.owner = k.owner AND kc.constraint_name = k.constraint_name
              WHERE k.owner = c.owner AND k.table_name = c.table_name AND k.constraint_type = 'U'
                AND kc.column_name = c.column_name
                AND (SELECT COUNT(*) FROM all_cons_columns x WHERE x.owner = k.owner
                      AND x.constraint_name = k.constraint_name) = 1) AS uq,
            c.owner AS owner,
            c.table_name AS table_name
       FROM all_tab_columns c
      WHERE c.owner = NVL(?, USER)
        AND c.table_name = (SELECT MAX(t) FROM (SELECT ? AS t FROM dual WHERE EXISTS
              (SELECT 1 FROM all_tab_columns WHERE owner = NVL(?, USER) AND table_name = ?)
            UNION ALL SELECT UPPER(?) FROM dual WHERE NOT EXISTS
              (SELECT 1 FROM all_tab_columns WHERE owner = NVL(?, USER) AND table_name = ?)))
      ORDER BY c.column_id`,
    [
      table.schema ?? null,
      table.name,
      table.schema ?? null,
      table.name,
      table.name,
      table.schema ?? null,
      table.name,
    ],
  );
  const first = rows[0];
  const leads = first ? await leadingColumns(db, first.OWNER, first.TABLE_NAME, indexes) : null;
  return rows.map((r) => ({
    name: r.NAME,
    type: r.TYPE,
    nullable: r.NULLABLE === 'Y',
    primaryKey: Number(r.PK) > 0,
    unique: Number(r.PK) > 0 || Number(r.UQ) > 0,
    leadsIndex: leads === null ? null : (leads.get(r.NAME) ?? 0) > 0,
  }));
}

const unreadableIndexCatalog = new Set<string>();

/**
 * Index counts by column; null for a view (read through the indexes of its tables, which are not
 * looked through) or when the catalog cannot be read — said once per kind, naming the driver's
 * code only: an error text may quote the statement, never a value, but it is not ours to log.
 */
async function leadingColumns(
  db: Knex,
  owner: string,
  name: string,
  indexes: OracleFamilyIndexes,
): Promise<Map<string, number> | null> {
  try {
    const views: { N: number | string }[] = await db.raw(
      'SELECT COUNT(*) AS n FROM all_views WHERE owner = ? AND view_name = ?',
      [owner, name],
    );
    if (Number(views[0]?.N ?? 0) > 0) return null;
    const rows: { NAME: string; LEADS: number | string }[] = await db.raw(indexes.leads, [owner, name]);
    return new Map(rows.map((r) => [r.NAME, Number(r.LEADS)]));
  } catch (error) {
    if (!unreadableIndexCatalog.has(indexes.kind)) {
      unreadableIndexCatalog.add(indexes.kind);
      const code = (error as { code?: unknown; errorNum?: unknown } | null) ?? {};
      rootLogger().warn(
        { kind: indexes.kind, driverCode: String(code.code ?? code.errorNum ?? 'unknown') },
        `${indexes.kind}: the index catalog cannot be read (ALL_IND_COLUMNS, ALL_INDEXES): tables are read as before, without a warning when no index leads a stream's cursor`,
      );
    }
    return null;
  }
}
