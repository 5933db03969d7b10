/**
 * Turning driver errors into licbridge errors, shared by the network dialects. Each dialect lists
 * its driver's codes; this decides the class, the retry flag, and a message that names the source
 * and (for a failed login) the user — never the password, and never bound values (knex's
 * `compileSqlOnError` is off, so driver messages hold no row data).
 */
import { ErrorCodes, LicbridgeError } from '../../core/errors.js';

export interface DriverCodes {
  /** Wrong user or password, account locked: retrying cannot help. */
  auth: readonly (string | number)[];
  /** The network or the server went away: retried with backoff by the connector, then the worker. */
  unreachable: readonly (string | number)[];
  /** Reached the server but the database / service does not exist: not retryable. */
  noDatabase: readonly (string | number)[];
  /** Missing table or column (normally caught before, by the catalog check). */
  schema: readonly (string | number)[];
  /** The statement timeout fired: retryable (the server may be busy), named as a timeout. */
  timeout: readonly (string | number)[];
}

// Socket-level codes every Node driver surfaces through the `code` property.
const SOCKET = [
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EPIPE',
  'ECONNABORTED',
];
// knex's own pool errors, node-postgres' "terminated" messages and mysql2's command on a closed
// connection carry no code: only those are told by their words. A server's error always carries a
// code (SQLSTATE, errno, number, errorNum), and its message may quote a value or a name reading
// "connection lost": taken for a lost connection, a query failing for good was retried as if the
// database were away.
const LOST_MESSAGE =
  /Timeout acquiring a connection|Connection terminated|connection.*(closed|lost|ended)|socket hang up|Client has encountered a connection error/i;

function codesOf(error: unknown): (string | number)[] {
  const e = error as { code?: unknown; errno?: unknown; number?: unknown; errorNum?: unknown };
  const out: (string | number)[] = [];
  for (const v of [e?.code, e?.errno, e?.number, e?.errorNum]) {
    if (typeof v === 'string' || typeof v === 'number') out.push(v);
  }
  // AggregateError (Node's happy-eyeballs connect) hides the socket code in its members.
  const inner = (error as { errors?: unknown })?.errors;
  if (Array.isArray(inner)) for (const i of inner) out.push(...codesOf(i));
  return out;
}

const has = (codes: (string | number)[], list: readonly (string | number)[]): boolean =>
  codes.some((c) => list.includes(c));

/**
 * The SQL knex sent for each failed statement, noted by the source's `query-error` listener
 * (index.ts). knex puts that SQL before the driver's words (`select … - invalid input syntax …`),
 * and a stored failure is cut to 300 characters: a long query left no room for the reason. With
 * the SQL known the reason is split off exactly, whatever ` - ` the SQL itself holds.
 */
const sentSql = new WeakMap<object, string>();

export function noteSentSql(error: unknown, sql: unknown): void {
  if (error !== null && typeof error === 'object' && typeof sql === 'string') sentSql.set(error, sql);
}

/**
 * The driver's reason and the SQL knex put before it, if noted (DM's classifier hands on a copy
 * with the driver's error as its cause).
 */
export function driverWords(error: unknown): { reason: string; sql?: string } {
  const message = error instanceof Error ? error.message : String(error);
  const cause = (error as { cause?: unknown })?.cause;
  const sql = [error, cause]
    .map((e) => (e !== null && typeof e === 'object' ? sentSql.get(e) : undefined))
    .find((s) => s !== undefined);
  if (sql === undefined || !message.startsWith(`${sql} - `)) return { reason: message };
  return { reason: message.slice(sql.length + 3), sql };
}

/** How the SQL sent follows the reason in a message; column-list.ts leaves out its probe's. */
export const sqlNote = (sql: string): string => ` (SQL: ${sql})`;

/** A driver error's words for a message: the reason first, the SQL sent after it. */
export function reasonFirst(error: unknown): { reason: string; detail: string } {
  const { reason, sql } = driverWords(error);
  return { reason, detail: sql === undefined ? reason : `${reason}${sqlNote(sql)}` };
}

/**
 * A failed read of a stream as `source <name>: stream <stream>: <what>: <reason> (SQL: …)`: the
 * driver's classified error says which source, not which stream. Errors that name a stream
 * already (a key or value check of the read) pass as they are.
 */
export function inStream(error: unknown, source: string, stream: string): unknown {
  if (!(error instanceof LicbridgeError)) return error;
  const prefix = `source ${source}: `;
  if (!error.message.startsWith(prefix) || error.message.includes('stream `')) return error;
  return new LicbridgeError(
    error.code,
    `${prefix}stream \`${stream}\`: ${error.message.slice(prefix.length)}`,
    { retryable: error.retryable, context: { ...error.context, table: stream }, cause: error.cause },
  );
}

/** The classification for one driver error; `user` is the configured login, if any. */
export function classifyDriverError(
  error: unknown,
  source: string,
  codes: DriverCodes,
  user?: string,
): LicbridgeError {
  const all = codesOf(error);
  const { reason, detail } = reasonFirst(error);
  const first = all[0];
  const context = { source, driverCode: first === undefined ? undefined : String(first) };
  const make = (code: (typeof ErrorCodes)[keyof typeof ErrorCodes], what: string, retryable: boolean) =>
    new LicbridgeError(code, `source ${source}: ${what}: ${detail}`, { retryable, context, cause: error });
  if (has(all, codes.auth)) {
    const who = user ? ` as user \`${user}\`` : '';
    return new LicbridgeError(ErrorCodes.SOURCE_AUTH, `source ${source}: login failed${who}: ${detail}`, {
      retryable: false,
      context: { ...context, ...(user ? { user } : {}) },
      cause: error,
    });
  }
  if (has(all, codes.noDatabase)) return make(ErrorCodes.SOURCE_UNREACHABLE, 'database not found', false);
  if (has(all, codes.schema)) return make(ErrorCodes.SOURCE_SCHEMA, 'table or column not found', false);
  if (has(all, codes.timeout)) return make(ErrorCodes.SOURCE_QUERY, 'statement timeout', true);
  if (has(all, codes.unreachable) || has(all, SOCKET) || (all.length === 0 && LOST_MESSAGE.test(reason))) {
    return make(ErrorCodes.SOURCE_UNREACHABLE, 'cannot reach the database', true);
  }
  return make(ErrorCodes.SOURCE_QUERY, 'query failed', false);
}
