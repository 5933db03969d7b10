/**
 * Turns driver errors into `LicbridgeError`s with code `LB_LEDGER`. Connection loss, lock
 * contention and serialisation failures are retryable: the same call can succeed a moment later.
 * Messages keep the driver's own words but never the bound values, which may be personal data, nor
 * a value the driver quotes or a number of a person's (core/error-text.ts safeErrorText).
 */
import { safeErrorText } from '../core/error-text.js';
import { ErrorCodes, isLicbridgeError, LicbridgeError } from '../core/errors.js';

/** Node socket errors: the database went away or never answered. */
const RETRYABLE_NET = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENOTFOUND',
]);

/**
 * PostgreSQL SQLSTATEs worth retrying besides a conflict with another transaction
 * (`isConflictDbError`: 40001 serialization failure, 40P01 deadlock, 55P03 lock not available):
 * class 08 (connection exception), 53300 too many connections, 57P01-57P03 admin shutdown / crash
 * shutdown / cannot connect now.
 */
const RETRYABLE_PG = new Set(['53300', '57P01', '57P02', '57P03']);

/**
 * 08P01 protocol_violation sits in class 08 but is the server refusing the message it was sent
 * (a statement bound with more than 65,535 parameters: "bind message has N parameter formats but
 * 0 parameters"), which a retry sends again as it was: it would only spend the retry budget.
 */
const NOT_RETRYABLE_PG = new Set(['08P01']);

const COMMIT_IN_DOUBT = 'LedgerCommitInDoubt';

/**
 * A transaction whose COMMIT answer was lost is still running on the server: it cannot be told
 * committed or not yet, so the call waits for it as for a busy database (ledger/db.ts `pgWrite`).
 */
export function commitInDoubt(): Error {
  const e = new Error('the transaction whose COMMIT answer was lost is still in progress on the server');
  e.name = COMMIT_IN_DOUBT;
  return e;
}

/**
 * Retryable errors where the database answered: this transaction met another (a deadlock, a
 * serialization failure, a lock not granted, SQLite busy or locked). The ledger is up; the call is
 * tried again all the same, and its log line says so (ledger/db.ts `retrying`).
 */
const CONFLICT_PG = new Set(['40001', '40P01', '55P03']);

export function isConflictDbError(e: unknown): boolean {
  const code = (e as { code?: unknown } | null)?.code;
  if (typeof code !== 'string') return false;
  // better-sqlite3 reports extended codes such as SQLITE_BUSY_SNAPSHOT and SQLITE_LOCKED_SHAREDCACHE.
  return CONFLICT_PG.has(code) || code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED');
}

export function isRetryableDbError(e: unknown): boolean {
  if (!(e instanceof Error)) return false;
  if (e.name === COMMIT_IN_DOUBT) return true;
  const code = (e as { code?: unknown }).code;
  if (typeof code === 'string') {
    if (RETRYABLE_NET.has(code) || isConflictDbError(e)) return true;
    if (RETRYABLE_PG.has(code) || (code.startsWith('08') && !NOT_RETRYABLE_PG.has(code))) return true;
  }
  // knex's pool gives up waiting for a free connection.
  if (e.name === 'KnexTimeoutError') return true;
  // node-postgres refuses further queries on a client whose connection broke; knex's ROLLBACK of
  // the transaction cut off that way fails with this, and the transaction is gone all the same.
  if (/Connection terminated|connection (is )?closed|not queryable/i.test(e.message)) return true;
  return false;
}

/**
 * knex prefixes a failed query's message with its SQL *with the bound values written in* — license
 * payloads, holder names, ID numbers. Keep the driver's part only (after knex's ` - `), made safe
 * (safeErrorText: quoted values hidden, numbers masked) and only then cut to 300 characters. Cut
 * first, a value the cut split went out: a quote left open hid nothing (`'欧阳...`), and an ID
 * number's first 13 digits had no ID number's shape to be masked by (`1101051949123...`).
 */
function driverMessage(e: Error): string {
  const msg = e.message;
  const cut = knexSqlEnd(msg);
  return safeErrorText(cut >= 0 ? msg.slice(cut + 3) : msg);
}

/** A statement knex may have run, as the first word of its SQL. */
const SQL_START =
  /^\s*(?:select|insert|update|delete|with|create|alter|drop|pragma|begin|commit|rollback|savepoint|release|merge|truncate|set|explain|show|lock|vacuum|analyze|copy|call|exec|declare)\b/i;

/**
 * Where knex's ` - ` after the SQL stands, or -1 when no SQL stands in front. The first ` - `
 * outside a quoted value: the last one past the 40th character was taken, and the driver's own
 * words holding one (a folder `dept - 2024` in a file's path) lost all before it, as did a message
 * with no SQL in front (a file error). A value's ` - ` stands in its quotes (knex writes each bound
 * string quoted, a quote doubled or after a backslash inside).
 */
function knexSqlEnd(msg: string): number {
  if (!SQL_START.test(msg)) return -1;
  let quoted = false;
  for (let i = 0; i < msg.length; i++) {
    const ch = msg[i];
    if (quoted && ch === '\\') i++;
    else if (ch === "'") quoted = !quoted;
    else if (!quoted && ch === ' ' && msg.startsWith(' - ', i)) return i;
  }
  return -1;
}

export function wrapLedgerError(op: string, e: unknown): LicbridgeError {
  // Our own errors, and those thrown by callers' code inside a transaction (a candidate's build),
  // keep their code: the transaction rolled back and the caller knows best what they mean.
  if (isLicbridgeError(e)) return e;
  if (!(e instanceof Error)) {
    return new LicbridgeError(
      ErrorCodes.LEDGER,
      `ledger: ${op} failed: ${safeErrorText(String(e), { bounded: 200 })}`,
      {
        cause: e,
      },
    );
  }
  const code = (e as { code?: unknown }).code;
  const message = driverMessage(e);
  // Node's own errors begin with their code (`ENOENT: no such file…`): named twice, it read
  // `ENOENT: ENOENT: …`.
  const prefix = typeof code === 'string' && !message.startsWith(`${code}:`) ? `${code}: ` : '';
  // The cause travels on into logs and error reports: it must not carry the values either.
  const original = e.message;
  e.message = message;
  if (e.stack?.includes(original)) e.stack = e.stack.replace(original, message);
  return new LicbridgeError(ErrorCodes.LEDGER, `ledger: ${op} failed: ${prefix}${message}`, {
    retryable: isRetryableDbError(e),
    cause: e,
  });
}
