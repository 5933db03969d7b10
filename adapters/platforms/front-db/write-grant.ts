/**
 * Whether the front database's user may write the exchange table, asked of PostgreSQL and
 * KingbaseES by `config check --connect`. A login granted SELECT alone passed every other check
 * (the columns are read with a SELECT, the unique index planned under EXPLAIN: ./key-unique.ts), and
 * every send then failed with 42501, retried until its attempts ran out. Opening the target asks
 * nothing of this: a login that may only read still reads the exchange system's decisions.
 */
import type { Knex } from 'knex';
import { ErrorCodes, LicbridgeError } from '../../../core/errors.js';
import { COLUMNS } from './exchange-table.js';
import type { StatementDeadline } from './insert-new-keys.js';

export interface WriteGrantCheck {
  target: string;
  table: string;
  /** `exchangeStatus` is set: a row the exchange system refused is deleted before its key is written again. */
  deletesRefused: boolean;
  deadline: StatementDeadline;
}

/**
 * Throws a `LB_CONFIG_INVALID` error naming the target, the table and each privilege its user lacks:
 * INSERT into every column licbridge writes (granted on the table, or on each of those columns), and
 * DELETE with `exchangeStatus`; then USAGE on each sequence a column licbridge leaves to its default
 * takes a value of. Asks nothing of other databases: MySQL's grants come from users, hosts, roles and
 * wildcards at once, SQL Server's and Oracle's from roles and schemas; there a missing grant shows at
 * the first send.
 */
export async function checkWriteGrant(k: Knex, check: WriteGrantCheck): Promise<void> {
  if ((k.client as { dialect?: string }).dialect !== 'postgresql') return;
  const { target, table, deletesRefused, deadline } = check;
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
    new LicbridgeError(
      ErrorCodes.CONFIG_INVALID,
      `target ${target}: the front database's user may not ${what} on exchange table ${table}${
        lacking.includes('DELETE')
          ? ' (DELETE: a row the exchange system refused is taken out before its key is written again)'
          : ''
      }: grant ${grant} to the user in \`targets.${target}.connection\`, or name another user; every send would fail`,
      { context: { target } },
    );
  if (lacking.length > 0) throw refused(lacking.join(' or '), `${lacking.join(', ')} on the table`);
  // A column licbridge does not write takes its default, and a default of `nextval` (a `serial`
  // column, the city's row number) needs USAGE (or UPDATE) on its sequence: granted INSERT alone,
  // every send failed with 42501, "permission denied for sequence". An identity column needs none.
  const sequences: { sequence: string; columns: string[] }[] = (
    await k
      .raw(
        `select s.oid::regclass::text as "sequence", array_agg(a.attname::text order by a.attnum) as "columns"
         from pg_attrdef ad
         join pg_attribute a on a.attrelid = ad.adrelid and a.attnum = ad.adnum
         join pg_depend d on d.classid = 'pg_attrdef'::regclass and d.objid = ad.oid
           and d.refclassid = 'pg_class'::regclass
         join pg_class s on s.oid = d.refobjid and s.relkind = 'S'
         where ad.adrelid = ?::regclass and not a.attisdropped and a.attname::text <> all(?::text[])
           -- Inside a CASE: pushed down to the scan of pg_class, the check met tables ("… is not a sequence").
           and case when s.relkind = 'S'
             then not (has_sequence_privilege(s.oid, 'USAGE') or has_sequence_privilege(s.oid, 'UPDATE')) end
         group by s.oid order by 1`,
        [name, Object.values(COLUMNS)],
      )
      .timeout(deadline.remainingMs(), { cancel: deadline.cancel })
  ).rows;
  if (sequences.length === 0) return;
  const named = sequences.map(
    (s) =>
      `sequence ${s.sequence} (the default of column${s.columns.length > 1 ? 's' : ''} ${s.columns.join(', ')})`,
  );
  throw refused(
    `take values of ${named.join(', nor of ')}`,
    `USAGE on the sequence${sequences.length > 1 ? 's' : ''}`,
  );
}
