/**
 * The gate in front of query streams: a configured query must be ONE read-only SELECT (or
 * WITH … SELECT) that takes no locks, changes no session state, reads no server files and opens
 * no other connection. It is checked before it reaches the database — a department gives
 * licbridge a login on its production system, and a typo'd `DELETE` must never run.
 *
 * The query is tokenized the way the source's own server tokenizes it (sql-lexer.ts), under every
 * setting that changes that, and each reading must pass. Read-only transactions (sql-source.ts)
 * are the other line: a function the guard cannot see into still runs in a transaction that
 * refuses writes, and is rolled back.
 */
import { ErrorCodes, LicbridgeError } from '../../core/errors.js';
import { LexError, lexings, type SqlKind, type Token } from './sql-lexer.js';

// Words that write, lock, run other statements, or end the transaction; checked on unquoted words
// only (`"update"` is a column). REPLACE and SET stay allowed: `REPLACE(col, …)` and
// `CHARACTER SET` are everyday read-only SQL, and INTO catches `REPLACE INTO` and `SELECT … INTO`.
const FORBIDDEN = new Set([
  'INSERT',
  'UPDATE',
  'DELETE',
  'MERGE',
  'UPSERT',
  'INTO',
  'CREATE',
  'DROP',
  'ALTER',
  'TRUNCATE',
  'RENAME',
  'GRANT',
  'REVOKE',
  'EXEC',
  'EXECUTE',
  'CALL',
  'DO',
  'COPY',
  'LOCK',
  'UNLOCK',
  'HANDLER',
  'LOAD',
  'DECLARE',
  'BEGIN',
  'COMMIT',
  'ROLLBACK',
  'SAVEPOINT',
  'PREPARE',
  'DEALLOCATE',
  'VACUUM',
  'ANALYZE',
  'ATTACH',
  'DETACH',
  'PRAGMA',
  'SHUTDOWN',
  'KILL',
  'OUTFILE',
  'DUMPFILE',
  'PROCEDURE',
  'LISTEN',
  'NOTIFY',
  // SQL Server: waits, table hints that take locks, and reads through other servers or files.
  'WAITFOR',
  'HOLDLOCK',
  'UPDLOCK',
  'XLOCK',
  'TABLOCK',
  'TABLOCKX',
  'PAGLOCK',
  'ROWLOCK',
  'OPENROWSET',
  'OPENQUERY',
  'OPENDATASOURCE',
  'BULK',
]);

/**
 * Functions that change session or server state, take locks, wait, read or write server files,
 * open other connections, or run SQL given as text (which this guard would never see). Names are
 * compared case-insensitively, quoted or not, with or without a schema.
 */
export const FORBIDDEN_FUNCTIONS: readonly string[] = [
  // PostgreSQL
  'set_config',
  'pg_reload_conf',
  'pg_rotate_logfile',
  'pg_terminate_backend',
  'pg_cancel_backend',
  'pg_sleep',
  'pg_sleep_for',
  'pg_sleep_until',
  'pg_notify',
  'pg_switch_wal',
  'pg_create_restore_point',
  'pg_logical_emit_message',
  'pg_export_snapshot',
  'pg_import_system_collations',
  'setval',
  'nextval',
  'query_to_xml',
  'query_to_xmlschema',
  'query_to_xml_and_xmlschema',
  'cursor_to_xml',
  'cursor_to_xmlschema',
  // MySQL / MariaDB
  'get_lock',
  'release_lock',
  'release_all_locks',
  'sleep',
  'benchmark',
  'load_file',
  'master_pos_wait',
  'source_pos_wait',
  'master_gtid_wait',
  'wait_for_executed_gtid_set',
  'wait_until_sql_thread_after_gtids',
  'sys_exec',
  'sys_eval',
  // SQLite
  'load_extension',
  'readfile',
  'writefile',
  'edit',
  'fts3_tokenizer',
];

/** Families named by prefix: advisory locks, server files, large objects, dblink. */
export const FORBIDDEN_FUNCTION_PREFIXES: readonly string[] = [
  'pg_advisory_',
  'pg_try_advisory_',
  'pg_read_',
  'pg_ls_',
  'pg_stat_file',
  'pg_file_',
  'lo_',
  'dblink',
];

/** Oracle packages that sleep, lock, talk to the network or files, or run SQL given as text. */
const FORBIDDEN_PACKAGES =
  /^(UTL_\w*|DBMS_(LOCK|PIPE|SQL|XMLGEN|XMLQUERY|SCHEDULER|JOB|ALERT|AQ|SESSION|SYSTEM|JAVA|LDAP|BACKUP_RESTORE|FILE_TRANSFER|ADVISOR)|HTTPURITYPE)$/;

const BANNED = new Set(FORBIDDEN_FUNCTIONS);

function bannedFunction(name: string): boolean {
  const lower = name.toLowerCase();
  return BANNED.has(lower) || FORBIDDEN_FUNCTION_PREFIXES.some((p) => lower.startsWith(p));
}

/** The banned name as the list spells it (a prefix family as `prefix…`), never the query's text. */
function bannedName(name: string): string {
  const lower = name.toLowerCase();
  if (BANNED.has(lower)) return lower;
  const prefix = FORBIDDEN_FUNCTION_PREFIXES.find((p) => lower.startsWith(p)) as string;
  return lower === prefix ? prefix : `${prefix}…`;
}

function rejected(source: string, detail: string): LicbridgeError {
  return new LicbridgeError(
    ErrorCodes.USAGE,
    `source ${source}: query rejected: ${detail}; a stream query must be one read-only SELECT`,
    { context: { source } },
  );
}

/** First words named in a rejection; anything else is not echoed. */
const STATEMENTS = new Set([
  ...FORBIDDEN,
  'SHOW',
  'SET',
  'EXPLAIN',
  'VALUES',
  'TABLE',
  'DESCRIBE',
  'DESC',
  'USE',
]);

/** The problem with one tokenization of the query, or undefined when it passes. */
function problemOf(tokens: readonly Token[]): string | undefined {
  // A trailing `;` ends the one statement; any other `;` starts a second one.
  const last =
    tokens.length > 0 && tokens[tokens.length - 1]?.text === ';' ? tokens.length - 1 : tokens.length;
  const body = tokens.slice(0, last);
  if (body.some((t) => t.kind === 'punct' && t.text === ';')) return 'it holds more than one statement';
  const first = body.find((t) => !(t.kind === 'punct' && t.text === '('));
  if (first?.kind !== 'word' || (first.text !== 'SELECT' && first.text !== 'WITH')) {
    // Only a known keyword is named: the query may have come from a file that is not SQL at all.
    if (!first) return 'it starts with `(nothing)`';
    return first.kind === 'word' && STATEMENTS.has(first.text)
      ? `it starts with \`${first.text}\``
      : 'it does not start with SELECT or WITH';
  }
  for (let i = 0; i < body.length; i++) {
    const t = body[i] as Token;
    const next = body[i + 1];
    if (t.kind === 'word' && FORBIDDEN.has(t.text)) return `it contains \`${t.text}\``;
    if (
      t.kind === 'word' &&
      t.text === 'FOR' &&
      next?.kind === 'word' &&
      /^(UPDATE|SHARE|NO|KEY)$/.test(next.text)
    ) {
      return `it contains \`FOR ${next.text}\``;
    }
    const name = t.kind === 'word' || t.kind === 'quoted';
    if (name && next?.kind === 'punct' && next.text === '(' && bannedFunction(t.text)) {
      return `it calls \`${bannedName(t.text)}\`, which changes session state, locks, waits or reaches outside the database`;
    }
    if (
      name &&
      next?.kind === 'punct' &&
      next.text === '.' &&
      FORBIDDEN_PACKAGES.test(t.text.toUpperCase())
    ) {
      const name = t.text.toUpperCase();
      return `it uses the package \`${name.startsWith('UTL_') ? 'UTL_…' : name}\``;
    }
  }
  if (!body.some((t) => t.kind === 'word' && t.text === 'SELECT')) return 'it has no SELECT';
  return undefined;
}

/**
 * Checks that `sql` is a single SELECT without writes, locks or state changes as the `kind`
 * server reads it, and returns it cut after its last token — no trailing `;` or comment, so it
 * can be wrapped as a subquery. Throws a USAGE error naming what was found.
 */
export function assertSingleSelect(source: string, sql: string, kind: SqlKind): string {
  let readings: ReturnType<typeof lexings>;
  try {
    readings = lexings(sql, kind);
  } catch (e) {
    if (e instanceof LexError) throw rejected(source, `cannot read it: ${e.message}`);
    throw e;
  }
  for (const tokens of readings) {
    const problem = problemOf(tokens);
    if (problem) throw rejected(source, problem);
  }
  // Every reading ends at the same place unless a setting-dependent quote moved it; the latest
  // end keeps the whole statement in every reading.
  let end = 0;
  for (const tokens of readings) {
    const last = tokens.filter((t) => !(t.kind === 'punct' && t.text === ';')).at(-1);
    end = Math.max(end, last?.end ?? 0);
  }
  return sql.slice(0, end).trim();
}
