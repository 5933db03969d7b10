/**
 * Whether a MySQL or MariaDB front database's user may write the exchange table, asked by
 * `config check --connect` (PostgreSQL's: ./write-grant.ts). A login granted SELECT alone passed,
 * and every send then failed with 1142; so did one granted SELECT and INSERT, as a send's
 * `insert … on duplicate key update` (./insert-new-keys.ts `merge`) needs UPDATE too.
 *
 * The server is asked to `PREPARE` the statements a send runs, which it does only when the session
 * may run them, and which runs nothing. Its own rules decide, as for the sends: grants to the user's
 * host pattern, on wildcard database names (`lb\_%`), through the roles enabled at login (a default
 * role; on MySQL every role granted with `activate_all_roles_on_login`, its `mandatory_roles` among
 * them, which are otherwise enabled only as default roles or, from 9.5, by `activate_mandatory_roles`;
 * a role granted but not enabled gives a send nothing, and licbridge sets none), MySQL 8's partial
 * revokes, MariaDB's sequences, and a view's definer (a view the server will not write through is
 * named as such: `viewRefused`). Reading the grant tables (information_schema's `*_PRIVILEGES`,
 * `SHOW GRANTS`) would mean redoing each of those rules, and they differ between MySQL and MariaDB
 * and from one version to the next. Not seen: a trigger's own statements, which run with its
 * definer's privileges and are checked only as a send runs them.
 */
import type { Knex } from 'knex';
import { ErrorCodes, LicbridgeError } from '../../../core/errors.js';
import { COLUMNS, tableParts } from './exchange-table.js';
import type { WriteGrantCheck } from './write-grant.js';
import { DELETE_NOTE, sequencesRefused, writeRefused } from './write-refused.js';

/** The server's errors for a statement the session may not run: table, column, database access denied. */
const DENIED = new Set([1142, 1143, 1044]);

/**
 * The server's errors for a view that takes no send, whatever the user is granted: one whose definer
 * (or, with SQL SECURITY INVOKER, the user) may not write the tables beneath or that reads one gone
 * (1356), one that joins, groups or computes its columns (1471 for an insert, 1288 for a delete).
 */
const VIEW_REFUSED: ReadonlyMap<number, string> = new Map([
  [1356, 'ER_VIEW_INVALID'],
  [1471, 'ER_NON_INSERTABLE_TABLE'],
  [1288, 'ER_NON_UPDATABLE_TABLE'],
]);

/** `LB_CONFIG_INVALID` for exchange table `table`, a view the server refused a send's statement through (`errno`). */
function viewRefused(target: string, table: string, errno: number): LicbridgeError {
  const why =
    errno === 1356
      ? `its definer, or with SQL SECURITY INVOKER the user in \`targets.${target}.connection\`, may not write the tables it reads, or one of them or of their columns is gone): grant the view's definer what a send needs on those tables, or name the table itself`
      : 'a view that joins, groups or computes its columns takes no rows): name a table, or a view of one table and its columns as they are,';
  return new LicbridgeError(
    ErrorCodes.CONFIG_INVALID,
    `target ${target}: exchange table ${table} is a view the front database will not write through (${VIEW_REFUSED.get(errno)}: ${why} in \`targets.${target}.table\`; every send would fail`,
    { context: { target } },
  );
}

/** The one prepared statement of the check's session, dropped after each probe. */
const PROBE = 'lb_write_grant';

/**
 * MariaDB asks UPDATE on every column such an insert writes (10.11, tested); MySQL 8 only on the
 * columns its `update` part sets (the key: `check_insert_fields` asks INSERT of the others), so
 * there the columns named as lacking UPDATE may be more than a send needs.
 */
const UPSERT_NOTE =
  'UPDATE: every send is an `insert … on duplicate key update`, which leaves a key already there as it is; MariaDB asks UPDATE of it on every column it writes, MySQL on the key';

/** Why DELETE is asked for where the server may store a row other than written (`storesCut`). */
const CUT_NOTE =
  'DELETE: without strict mode the server stores a value cut to its column, or `?` for a character its character set lacks, with only a warning, and a send takes such a row out again';

/** A MariaDB column default taking a sequence's next value, as information_schema writes it: `nextval(`db`.`seq`)`. */
const NEXTVAL = /^nextval\((`(?:[^`]|``)+`(?:\.`(?:[^`]|``)+`)?)\)$/i;

/** `db`.`seq` as a message names it: db.seq. */
const unquoted = (name: string): string =>
  name.replace(/`((?:[^`]|``)+)`/g, (_, part: string) => part.replaceAll('``', '`'));

/** `columns` named, or the whole table when every one of `all` is among them (`privilege` alone). */
function named(privilege: string, columns: readonly string[], all: readonly string[], into = '') {
  if (columns.length === all.length) return { what: privilege, grant: privilege };
  const s = columns.length > 1 ? 's' : '';
  return {
    what: `${privilege} ${into}column${s} ${columns.join(', ')}`,
    grant: `${privilege} (${columns.join(', ')})`,
  };
}

/**
 * Throws `LB_CONFIG_INVALID` naming the target, the table and each privilege its user lacks: INSERT
 * into every column licbridge writes and, for MySQL's `insert … on duplicate key update`, UPDATE of
 * them; DELETE with `exchangeStatus`, and where the server may store a row cut (`storesCut`); and on
 * MariaDB SELECT and INSERT on a sequence a column licbridge leaves to its default takes a value of
 * (named first: until then every insert is refused, whatever else is granted).
 */
export async function checkMysqlWriteGrant(k: Knex, check: WriteGrantCheck): Promise<void> {
  const { target, table, deletesRefused, style, deadline } = check;
  const written: readonly string[] = Object.values(COLUMNS);
  const upsert = style === 'merge';
  const bounded = <T>(q: Knex.Raw<T>) => q.timeout(deadline.remainingMs(), { cancel: deadline.cancel });
  const where = tableParts(table);
  // One transaction: the probes' session, where the statement prepared lives. It writes nothing.
  await k.transaction(async (trx) => {
    const allowed = async (sql: string): Promise<boolean> => {
      try {
        await bounded(trx.raw(`prepare ${PROBE} from ?`, [sql]));
      } catch (e) {
        const errno = (e as { errno?: number }).errno ?? 0;
        if (DENIED.has(errno)) return false;
        if (VIEW_REFUSED.has(errno)) throw viewRefused(target, table, errno);
        throw e;
      }
      await bounded(trx.raw(`deallocate prepare ${PROBE}`));
      return true;
    };
    const nulls = (columns: readonly string[]) => Object.fromEntries(columns.map((c) => [c, null]));
    const insert = k(table).insert(nulls(written));
    const send = upsert
      ? insert.onConflict(COLUMNS.key).merge({ [COLUMNS.key]: k.ref(COLUMNS.key) })
      : insert;
    const lacking: { what: string; grant: string }[] = [];
    const notes: string[] = [];
    if (!(await allowed(send.toSQL().sql))) {
      const sequences = await lackingSequences(trx, where, written, allowed, bounded);
      if (sequences.length > 0) throw sequencesRefused(target, table, sequences, 'SELECT, INSERT');
      const noInsert: string[] = [];
      const noUpdate: string[] = [];
      for (const c of written) {
        if (
          !(await allowed(
            k(table)
              .insert(nulls([c]))
              .toSQL().sql,
          ))
        )
          noInsert.push(c);
        if (
          upsert &&
          !(await allowed(
            k(table)
              .update(nulls([c]))
              .toSQL().sql,
          ))
        )
          noUpdate.push(c);
      }
      if (noInsert.length > 0) lacking.push(named('INSERT', noInsert, written, 'into '));
      if (noUpdate.length > 0) {
        lacking.push(named('UPDATE', noUpdate, written));
        notes.push(UPSERT_NOTE);
      }
      // Refused, yet each column may be inserted (and updated) alone: named as the whole statement.
      if (lacking.length === 0) {
        const privileges = upsert ? 'INSERT, UPDATE' : 'INSERT';
        lacking.push({ what: upsert ? 'INSERT or UPDATE' : 'INSERT', grant: privileges });
        if (upsert) notes.push(UPSERT_NOTE);
      }
    }
    const cut = await storesCut(trx, where, bounded);
    if (
      (deletesRefused || cut) &&
      !(await allowed(k(table).whereIn(COLUMNS.key, ['']).delete().toSQL().sql))
    ) {
      lacking.push({ what: 'DELETE', grant: 'DELETE' });
      if (deletesRefused) notes.push(DELETE_NOTE);
      if (cut) notes.push(CUT_NOTE);
    }
    if (lacking.length === 0) return;
    // DELETE alone, asked only for a row stored cut: the sends that meet none still go through.
    const cutOnly = lacking.length === 1 && lacking[0]?.what === 'DELETE' && !deletesRefused;
    throw writeRefused(
      target,
      table,
      lacking.map((l) => l.what).join(' or '),
      `${lacking.map((l) => l.grant).join(', ')} on the table`,
      notes,
      cutOnly
        ? 'a send with a row stored cut would fail, its whole batch with it, each time it is tried'
        : undefined,
    );
  });
}

/**
 * MariaDB's sequences the user may not take values of, each with the columns (not written by
 * licbridge) whose default takes them: `nextval` needs SELECT and INSERT on the sequence. MySQL has
 * no sequences (an AUTO_INCREMENT column needs no grant): no column default reads so there.
 */
async function lackingSequences(
  trx: Knex.Transaction,
  { schema, name }: { schema?: string; name: string },
  written: readonly string[],
  allowed: (sql: string) => Promise<boolean>,
  bounded: <T>(q: Knex.Raw<T>) => Knex.Raw<T>,
): Promise<{ sequence: string; columns: string[] }[]> {
  const [rows] = (await bounded(
    trx.raw(
      `select column_name as c, column_default as d from information_schema.columns
       where table_schema = coalesce(?, database()) and table_name = ? and column_default like 'nextval(%'
       order by ordinal_position`,
      [schema ?? null, name],
    ),
  )) as [{ c: string; d: string }[]];
  const bySequence = new Map<string, string[]>();
  for (const { c, d } of rows) {
    const sequence = NEXTVAL.exec(d)?.[1];
    if (sequence === undefined || written.includes(c)) continue;
    bySequence.set(sequence, [...(bySequence.get(sequence) ?? []), c]);
  }
  const lacking: { sequence: string; columns: string[] }[] = [];
  // The default's own text, a quoted name the pattern admits and nothing else; prepared, not run.
  for (const [sequence, columns] of bySequence) {
    if (!(await allowed(`select nextval(${sequence})`)))
      lacking.push({ sequence: unquoted(sequence), columns });
  }
  return lacking;
}

/**
 * Whether the server may store a row of the exchange table other than written, with only a
 * warning: a value cut to its column, `?` for a character its character set lacks. A send reads its
 * rows back and deletes such a row (./verify-stored.ts), so its user needs DELETE then. So it is
 * without strict mode (the session's `sql_mode`, the server's own: licbridge sets none), and under
 * STRICT_TRANS_TABLES alone on a table of an engine without transactions (MyISAM), where the rows
 * after the first of a multi-row insert are cut rather than refused. A view (no engine of its own)
 * counts as strict.
 */
async function storesCut(
  trx: Knex.Transaction,
  { schema, name }: { schema?: string; name: string },
  bounded: <T>(q: Knex.Raw<T>) => Knex.Raw<T>,
): Promise<boolean> {
  const [rows] = (await bounded(
    trx.raw(
      `select @@session.sql_mode as m,
         (select e.transactions from information_schema.tables t
          join information_schema.engines e on e.engine = t.engine
          where t.table_schema = coalesce(?, database()) and t.table_name = ?) as tx`,
      [schema ?? null, name],
    ),
  )) as [{ m: string | null; tx: string | null }[]];
  const modes = String(rows[0]?.m ?? '').split(',');
  if (modes.includes('STRICT_ALL_TABLES')) return false;
  return !modes.includes('STRICT_TRANS_TABLES') || rows[0]?.tx === 'NO';
}
