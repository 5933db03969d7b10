/**
 * Whether the front database's user may write the exchange table, asked by `config check --connect`
 * of PostgreSQL and KingbaseES (here) and of MySQL and MariaDB (./mysql-write-grant.ts). A login
 * granted SELECT alone passed every other check (the columns are read with a SELECT, the unique index
 * planned under EXPLAIN: ./key-unique.ts), and every send then failed with 42501 (1142 on MySQL),
 * retried until its attempts ran out. Opening the target asks nothing of this: a login that may only
 * read still reads the exchange system's decisions.
 */
import type { Knex } from 'knex';
import { COLUMNS } from './exchange-table.js';
import type { DuplicateStyle, StatementDeadline } from './insert-new-keys.js';
import type { NamePrefix } from './kingbase-names.js';
import { checkMysqlWriteGrant } from './mysql-write-grant.js';
import { DELETE_NOTE, sequencesRefused, writeRefused } from './write-refused.js';

export interface WriteGrantCheck {
  target: string;
  /**
   * The names the catalog tables answer to: KingbaseES's documentation names them `sys_*`
   * (`sys_class`, `sys_attrdef`, `sys_depend`), as asked of it (./kingbase-names.ts).
   * @defaultValue `pg_`
   */
  catalog?: NamePrefix;
  table: string;
  /** `exchangeStatus` is set: a row the exchange system refused is deleted before its key is written again. */
  deletesRefused: boolean;
  /** How a send inserts its rows (./insert-new-keys.ts): MySQL's `merge` needs UPDATE as well. */
  style: DuplicateStyle;
  deadline: StatementDeadline;
}

/**
 * Throws a `LB_CONFIG_INVALID` error naming the target, the table and each privilege its user lacks:
 * INSERT into every column licbridge writes (granted on the table, or on each of those columns), and
 * DELETE with `exchangeStatus`; then USAGE on each sequence a column licbridge leaves to its default
 * takes a value of. MySQL and MariaDB: ./mysql-write-grant.ts. Asks nothing of SQL Server, Oracle and
 * DM, whose grants come from roles and schemas at once: there a missing grant shows at the
 * first send.
 */
export async function checkWriteGrant(k: Knex, check: WriteGrantCheck): Promise<void> {
  const dialect = (k.client as { dialect?: string }).dialect;
  if (dialect === 'mysql') return await checkMysqlWriteGrant(k, check);
  if (dialect !== 'postgresql') return;
  const { target, table, deletesRefused, deadline } = check;
  const c = check.catalog ?? 'pg_';
  // The table named as the writes name it (`schema.table`, each part quoted as knex quotes it),
  // which the privilege functions parse as SQL does.
  const name = k.raw('??', [table]).toQuery();
  const rows: { insert: boolean; delete: boolean }[] = (
    await k
      .raw(
        `select bool_and(has_column_privilege(?, c, 'INSERT')) as "insert", has_table_privilege(?, 'DELETE') as "delete"
         from unnest(?::text[]) as cs(c)`,
        [name, name, Object.values(COLUMNS)],
      )
      .timeout(deadline.remainingMs(), { cancel: deadline.cancel })
  ).rows;
  const granted = rows[0];
  const lacking = [
    ...(granted?.insert === true ? [] : ['INSERT']),
    ...(deletesRefused && granted?.delete !== true ? ['DELETE'] : []),
  ];
  const refused = (what: string, grant: string) =>
    writeRefused(target, table, what, grant, lacking.includes('DELETE') ? [DELETE_NOTE] : []);
  if (lacking.length > 0) throw refused(lacking.join(' or '), `${lacking.join(', ')} on the table`);
  // A column licbridge does not write takes its default, and a default of `nextval` (a `serial`
  // column, the city's row number) needs USAGE (or UPDATE) on its sequence: granted INSERT alone,
  // every send failed with 42501, "permission denied for sequence". An identity column needs none.
  const sequences: { sequence: string; columns: string[] }[] = (
    await k
      .raw(
        `select s.oid::regclass::text as "sequence", array_agg(a.attname::text order by a.attnum) as "columns"
         from ${c}attrdef ad
         join ${c}attribute a on a.attrelid = ad.adrelid and a.attnum = ad.adnum
         join ${c}depend d on d.classid = '${c}attrdef'::regclass and d.objid = ad.oid
           and d.refclassid = '${c}class'::regclass
         join ${c}class s on s.oid = d.refobjid and s.relkind = 'S'
         where ad.adrelid = ?::regclass and not a.attisdropped and a.attname::text <> all(?::text[])
           -- Inside a CASE: pushed down to the scan of the class catalog, the check met tables ("… is not a sequence").
           and case when s.relkind = 'S'
             then not (has_sequence_privilege(s.oid, 'USAGE') or has_sequence_privilege(s.oid, 'UPDATE')) end
         group by s.oid order by 1`,
        [name, Object.values(COLUMNS)],
      )
      .timeout(deadline.remainingMs(), { cancel: deadline.cancel })
  ).rows;
  if (sequences.length > 0) throw sequencesRefused(target, table, sequences, 'USAGE');
}
