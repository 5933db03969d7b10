/**
 * What kind of failure a front-database driver's error is (core/attempt-reasons.ts), by the
 * driver's codes, never its message (which may quote a bound value). ./front-db-errors.ts puts it
 * on the error it reports (`context.failure`), so the deliver stage audits the attempt by it
 * (../shared/failure-kind.ts): without it the stage read the error's words, which keep only the
 * driver's code, and a refused login (`28000`, `ER_ACCESS_DENIED_ERROR`, `ELOGIN`, `ORA-01017`, DM's
 * `-2501`) or a dropped connection of a driver's own code (`PROTOCOL_CONNECTION_LOST`, `ESOCKET`,
 * `NJS-500`) was audited `other`. A row refused for its values (./refusal-code.ts) is none of these:
 * `other`.
 */
import type { AttemptReason } from '../../../core/attempt-reasons.js';
import { errnoReason } from '../shared/failure-kind.js';
import { pastDeadline } from './statement-deadline.js';

type Kind = Extract<AttemptReason, 'auth' | 'timeout' | 'unreachable'>;

/**
 * Driver codes (`code`, as each driver sets it) by kind. PostgreSQL's (and KingbaseES's) and
 * MySQL's SQLSTATEs are read apart (`BY_SQLSTATE`).
 * - mysql2: ER_ACCESS_DENIED_ERROR (1045) a wrong user or password, ER_DBACCESS_DENIED_ERROR (1044)
 *   no access to the database; PROTOCOL_CONNECTION_LOST, ER_CON_COUNT_ERROR (1040, too many
 *   connections), ER_SERVER_SHUTDOWN (1053); PROTOCOL_SEQUENCE_TIMEOUT (the connect timeout),
 *   ER_LOCK_WAIT_TIMEOUT (1205).
 * - tedious and mssql (SQL Server): ELOGIN a login refused; ESOCKET, ECLOSE the connection failed
 *   or closed; ETIMEOUT the connect or request timeout.
 * - node-oracledb: ORA-01017 a wrong user or password, ORA-28000 the account locked, ORA-28001 the
 *   password expired, ORA-01045 no CREATE SESSION; NJS-500 closed or broken, NJS-501 terminated,
 *   NJS-503 not established, NJS-511 refused by the listener, NJS-521 end of file, NJS-530 host not
 *   found, ORA-12541 no listener, ORA-12543 host unreachable, ORA-03113/03114 end of file and not
 *   connected (thick mode); NJS-510 the connect timeout, NJS-123 the call timeout, ORA-12170 the
 *   connect timeout (thick mode).
 */
const BY_CODE: ReadonlyMap<string, Kind> = new Map([
  ['ER_ACCESS_DENIED_ERROR', 'auth'],
  ['ER_DBACCESS_DENIED_ERROR', 'auth'],
  ['ELOGIN', 'auth'],
  ['ORA-01017', 'auth'],
  ['ORA-28000', 'auth'],
  ['ORA-28001', 'auth'],
  ['ORA-01045', 'auth'],
  ['PROTOCOL_CONNECTION_LOST', 'unreachable'],
  ['ER_CON_COUNT_ERROR', 'unreachable'],
  ['ER_SERVER_SHUTDOWN', 'unreachable'],
  ['ESOCKET', 'unreachable'],
  ['ECLOSE', 'unreachable'],
  ['NJS-500', 'unreachable'],
  ['NJS-501', 'unreachable'],
  ['NJS-503', 'unreachable'],
  ['NJS-511', 'unreachable'],
  ['NJS-521', 'unreachable'],
  ['NJS-530', 'unreachable'],
  ['ORA-12541', 'unreachable'],
  ['ORA-12543', 'unreachable'],
  ['ORA-03113', 'unreachable'],
  ['ORA-03114', 'unreachable'],
  ['PROTOCOL_SEQUENCE_TIMEOUT', 'timeout'],
  ['ER_LOCK_WAIT_TIMEOUT', 'timeout'],
  ['ETIMEOUT', 'timeout'],
  ['NJS-510', 'timeout'],
  ['NJS-123', 'timeout'],
  ['ORA-12170', 'timeout'],
]);

/**
 * SQLSTATEs (PostgreSQL's `code`, MySQL's `sqlState`): class 28 a login refused (28000 an unknown
 * role or a pg_hba.conf refusal, 28P01 a wrong password); class 08 a connection exception, 57P01-03
 * the server shutting down or not taking connections yet, 53300 too many connections; 57014 a
 * statement cancelled (its timeout), 55P03 a lock not had in time.
 */
function bySqlState(state: string): Kind | undefined {
  if (state.startsWith('28')) return 'auth';
  if (state.startsWith('08') || /^57P0[123]$/.test(state) || state === '53300') return 'unreachable';
  return state === '57014' || state === '55P03' ? 'timeout' : undefined;
}

/**
 * dmdb's own codes (`errCode`, positive for the driver's, negative for the server's): -2501 a
 * wrong user or password (用户名或密码错误, the text dmdb's README and DM drivers' users quote for
 * a refused login); 6001 a communication error, 6060 the connection closed; 20009 the connect
 * timeout, 20010 the socket timeout. The server's codes of a locked account or an expired password
 * are not listed: no source at hand names them, and a guessed code would audit another failure
 * `auth`.
 */
const DM: ReadonlyMap<number, Kind> = new Map([
  [-2501, 'auth'],
  [6001, 'unreachable'],
  [6060, 'unreachable'],
  [20009, 'timeout'],
  [20010, 'timeout'],
]);

/**
 * pg's failures of the connection itself, which carry no code, by their texts (fixed in pg's
 * client, no value in them): the other end closing the connection (a server killed, a proxy
 * dropping it), this end closing it under a statement (`Connection terminated`: the pool ending
 * a connection, the target closed as a step runs), a connection that failed so before a query or
 * was closed, pg's connect timeout (`connectionTimeoutMillis`, ./silent-database.ts), pg-pool's
 * wrapping of it, a query's read timeout. Without them such a send failed `… failed`, nothing in
 * brackets, audited `other` as a row refused for its values is.
 */
const PG_UNCODED: ReadonlyMap<string, Kind> = new Map([
  ['Connection terminated unexpectedly', 'unreachable'],
  ['Connection terminated', 'unreachable'],
  ['Client has encountered a connection error and is not queryable', 'unreachable'],
  ['Client was closed and is not queryable', 'unreachable'],
  ['timeout expired', 'timeout'],
  ['Connection terminated due to connection timeout', 'timeout'],
  ['Query read timeout', 'timeout'],
]);

/**
 * The text of `PG_UNCODED` that `message` is: whole (a failure in making the connection), or after
 * the ` - ` knex puts between a failed statement and the driver's text (knex 3
 * query-executioner.js: `insert into … (values and all) - Connection terminated unexpectedly`).
 * Matched whole only, a connection lost while a statement ran was never met, and audited `other`.
 * The fixed text alone is returned: the statement before it quotes the license's values.
 */
function pgText(message: string): string | undefined {
  if (PG_UNCODED.has(message)) return message;
  // pg's texts hold no ` - `: what follows the last one is the driver's.
  const tail = message.slice(message.lastIndexOf(' - ') + 3);
  return message.includes(' - ') && PG_UNCODED.has(tail) ? tail : undefined;
}

/** pg's text of `cause` (or of an error it wraps) when it is one of `PG_UNCODED`: it stands for the code pg gives none of. */
export function uncodedDriverText(cause: unknown): string | undefined {
  for (let e = cause, depth = 0; e instanceof Error && depth < 4; e = e.cause, depth += 1) {
    const text = (e as { code?: unknown }).code === undefined ? pgText(e.message) : undefined;
    if (text !== undefined) return text;
  }
  return undefined;
}

/** SQL Server's number 1222: a lock request not granted in time. */
const MSSQL_LOCK_TIMEOUT = 1222;

function one(e: Record<string, unknown>): AttemptReason | undefined {
  // Before the codes: knex's failed cancel keeps the cancel's error (ECONNREFUSED, say), not the statement's.
  if (pastDeadline(e)) return 'timeout';
  const code = typeof e.code === 'string' ? e.code : undefined;
  const errno = errnoReason(code);
  if (errno) return errno;
  const byCode = code === undefined ? undefined : BY_CODE.get(code);
  if (byCode) return byCode;
  const state = typeof e.sqlState === 'string' ? e.sqlState : code;
  const byState = state !== undefined && /^[0-9A-Z]{5}$/.test(state) ? bySqlState(state) : undefined;
  if (byState) return byState;
  if (typeof e.errCode === 'number' && DM.has(e.errCode)) return DM.get(e.errCode);
  if (e.number === MSSQL_LOCK_TIMEOUT) return 'timeout';
  const text = code === undefined && typeof e.message === 'string' ? pgText(e.message) : undefined;
  return text === undefined ? undefined : PG_UNCODED.get(text);
}

/**
 * The kind of `cause`, a driver's error: of the error itself, else of an error it wraps (mssql's
 * `originalError`, an `AggregateError`'s `errors`, a `cause`); undefined when no code says.
 */
export function driverFailureKind(cause: unknown): AttemptReason | undefined {
  const seen = new Set<unknown>();
  const queue: unknown[] = [cause];
  while (queue.length > 0) {
    const e = queue.shift();
    if (e === null || typeof e !== 'object' || seen.has(e)) continue;
    seen.add(e);
    const fields = e as Record<string, unknown>;
    const kind = one(fields);
    if (kind) return kind;
    queue.push(fields.originalError, fields.cause);
    if (Array.isArray(fields.errors)) queue.push(...fields.errors);
  }
  return undefined;
}
