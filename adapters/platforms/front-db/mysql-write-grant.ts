/**
 * Whether a MySQL or MariaDB front database's user may write the exchange table, asked by
 * `config check --connect` (PostgreSQL's: ./write-grant.ts). A login granted SELECT alone passed,
 * and every send then failed with 1142; so did one granted SELECT and INSERT, as a send's
 * `insert … on duplicate key update` (./insert-new-keys.ts `merge`) needs UPDATE too.
 *
 * The server is asked to `PREPARE` the statements a send runs, which it does only when the session
 * may run them, and which runs nothing. Its own rules decide, as for the sends: grants to the user's
 * host pattern, on wildcard database names (`lb\_%`), through the roles enabled at login (a default
 * role, MySQL's mandatory roles and `activate_all_roles_on_login`; a role granted but not enabled
 * gives a send nothing, and licbridge sets none), MySQL 8's partial revokes, and MariaDB's sequences.
 * Reading the grant tables (information_schema's `*_PRIVILEGES`, `SHOW GRANTS`) would mean redoing
 * each of those rules, and they differ between MySQL and MariaDB and from one version to the next.
 */
import type { Knex } from 'knex';
import { COLUMNS } from './exchange-table.js';
import type { WriteGrantCheck } from './write-grant.js';
import { DELETE_NOTE, writeRefused } from './write-refused.js';

/** The server's errors for a statement the session may not run: table, column, database access denied. */
const DENIED = new Set([1142, 1143, 1044]);

/** The one prepared statement of the check's session, dropped after each probe. */
const PROBE = 'lb_write_grant';

const UPSERT_NOTE =
  'UPDATE: every send is an `insert … on duplicate key update`, which leaves a key already there as it is, and MySQL and MariaDB ask UPDATE of it on the columns it writes';

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
 * them; DELETE with `exchangeStatus`; and on MariaDB SELECT and INSERT on a sequence a column licbridge
 * leaves to its default takes a value of (named first: until then every insert is refused, whatever
 * else is granted).
 */
export async function checkMysqlWriteGrant(k: Knex, check: WriteGrantCheck): Promise<void> {
  const { target, table, deletesRefused, style, deadline } = check;
  const written: readonly string[] = Object.values(COLUMNS);
  const upsert = style === 'merge';
  const bounded = <T>(q: Knex.Raw<T>) => q.timeout(deadline.remainingMs(), { cancel: deadline.cancel });
  // One transaction: the probes' session, where the statement prepared lives. It writes nothing.
  await k.transaction(async (trx) => {
    const allowed = async (sql: string): Promise<boolean> => {
      try {
        await bounded(trx.raw(`prepare ${PROBE} from ?`, [sql]));
      } catch (e) {
        if (DENIED.has((e as { errno?: number }).errno ?? 0)) return false;
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
      const sequences = await lackingSequences(trx, table, written, allowed, bounded);
      if (sequences.length > 0) {
        const what = sequences.map(
          (s) =>
            `sequence ${s.sequence} (the default of column${s.columns.length > 1 ? 's' : ''} ${s.columns.join(', ')})`,
        );
        throw writeRefused(
          target,
          table,
          `take values of ${what.join(', nor of ')}`,
          `SELECT, INSERT on the sequence${sequences.length > 1 ? 's' : ''}`,
        );
      }
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
    if (deletesRefused && !(await allowed(k(table).whereIn(COLUMNS.key, ['']).delete().toSQL().sql))) {
      lacking.push({ what: 'DELETE', grant: 'DELETE' });
      notes.push(DELETE_NOTE);
    }
    if (lacking.length === 0) return;
    throw writeRefused(
      target,
      table,
      lacking.map((l) => l.what).join(' or '),
      `${lacking.map((l) => l.grant).join(', ')} on the table`,
      notes,
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
  table: string,
  written: readonly string[],
  allowed: (sql: string) => Promise<boolean>,
  bounded: <T>(q: Knex.Raw<T>) => Knex.Raw<T>,
): Promise<{ sequence: string; columns: string[] }[]> {
  const dot = table.indexOf('.');
  const [schema, name] = dot < 0 ? [null, table] : [table.slice(0, dot), table.slice(dot + 1)];
  const [rows] = (await bounded(
    trx.raw(
      `select column_name as c, column_default as d from information_schema.columns
       where table_schema = coalesce(?, database()) and table_name = ? and column_default like 'nextval(%'
       order by ordinal_position`,
      [schema, name],
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
