/**
 * The error a failed front-database statement is reported as: the driver's code only (its message
 * may quote a bound value, personal data), the kind of failure its codes say (./driver-failure.ts),
 * a refused certificate explained, and licbridge's own errors (a config the target cannot honour)
 * passed on as they are.
 */
import { ErrorCodes, LicbridgeError } from '../../../core/errors.js';
import { type TlsSettings, tlsFailureKind } from '../../../core/tls.js';
import { explainTlsFailure, type StartTls } from '../../../core/tls-probe.js';
import type { FrontDbTargetConfig } from './config.js';
import { driverFailureKind, uncodedDriverText } from './driver-failure.js';
import { frontDbOf } from './front-db-driver.js';
import { pastDeadline } from './statement-deadline.js';

/** knex's message for a connection its pool could not hand out within `acquireConnectionTimeout`. */
const POOL_TIMEOUT = /^Knex: Timeout acquiring a connection/;

const NO_CONNECTION = ': no connection to the front database was free or could be made in that time';

/** Whether `cause` is knex's pool giving up on handing out a connection: no statement of it was sent. */
export function noConnectionHad(cause: unknown): boolean {
  return cause instanceof Error && cause.name === 'KnexTimeoutError' && POOL_TIMEOUT.test(cause.message);
}

/**
 * What opening the front database for a send failed at, for its error's words: reaching it (the
 * connection or the login refused, none had in time, the connect timing out), else its exchange
 * table looked up, made or checked (a statement refused, or out of its time), in the words of
 * `config check --connect`. Said as `writing exchange table`, a database that refused the
 * connection read as one that refused the rows, though none was written or tried.
 */
export function openingWhat(cause: unknown, table: string): string {
  if (noConnectionHad(cause)) return 'reaching the front database';
  const kind = pastDeadline(cause) ? undefined : driverFailureKind(cause);
  const reaching = kind === 'unreachable' || kind === 'auth' || kind === 'timeout';
  return reaching ? 'reaching the front database' : `checking exchange table ${table}`;
}

/** The error `cause` is reported as, for target `target`: `what` failed, with the driver's code only. */
export async function frontDbError(
  target: string,
  config: FrontDbTargetConfig,
  cause: unknown,
  what: string,
): Promise<LicbridgeError> {
  // A config this target cannot honour (TLS its driver cannot take, a column the table lacks)
  // is no write failure: retrying changes nothing until the config does. Nor is any other error
  // licbridge made itself (Oracle Instant Client not loaded for `thickMode`, front-db-driver.ts):
  // its message says what failed, and wrapped here it read `… failed (LB_TARGET_UNREACHABLE)`.
  if (cause instanceof LicbridgeError) return cause;
  // A refused certificate is named (what is wrong, the server certificate), not retried.
  const tlsError = await tlsErrorOf(target, config, cause);
  if (tlsError) return tlsError;
  // A statement whose cancel failed after its time is the deadline passed too (./statement-deadline.ts).
  const timedOut = cause instanceof Error && pastDeadline(cause);
  const code = timedOut ? `timed out after ${config.timeoutMs} ms` : driverCode(cause);
  // knex's pool gives up on a connection after `timeoutMs` too (front-db-knex.ts), counted from
  // when the statement asked for one: none free, or none made in time. Named as the deadline alone,
  // a send that never had a connection read as one whose statements ran out of time.
  const noConnection = noConnectionHad(cause);
  // The kind by the driver's codes, `other` when none says (a row refused for its values, a table
  // not there): the message's words name the table, and one named EXCH_TIMEOUT read `timeout`.
  const failure = driverFailureKind(cause) ?? 'other';
  return new LicbridgeError(
    ErrorCodes.TARGET_UNREACHABLE,
    `target ${target}: ${what} failed${typeof code === 'string' ? ` (${code})` : ''}${noConnection ? NO_CONNECTION : ''}`,
    {
      retryable: true,
      context: { target, failure },
      cause: new Error(typeof code === 'string' ? code : 'driver error'),
    },
  );
}

/**
 * The driver's code for a failure: its `code` (PostgreSQL's SQLSTATE, mysql2's, oracledb's
 * `ORA-…`), or dmdb's numeric `errCode` (`DM error -6407`), which names no `code`: a DM front
 * database's failures said only that the write failed. pg's failures of the connection carry
 * none either: their fixed texts (`Connection terminated unexpectedly`) stand for it.
 */
function driverCode(cause: unknown): unknown {
  const { code, errCode } = (cause ?? {}) as { code?: unknown; errCode?: unknown };
  if (typeof code === 'string') return code;
  return typeof errCode === 'number' ? `DM error ${errCode}` : (uncodedDriverText(cause) ?? code);
}

async function tlsErrorOf(
  target: string,
  config: FrontDbTargetConfig,
  cause: unknown,
): Promise<LicbridgeError | undefined> {
  if (!tlsFailureKind(cause)) return undefined;
  const c = (config.connection ?? {}) as { host?: string; port?: string | number; tls?: TlsSettings };
  const { spec } = frontDbOf(config.client);
  const startTls: StartTls | undefined = spec.startTls;
  const port = c.port === undefined || c.port === '' ? (spec.defaultPort ?? 0) : Number(c.port);
  const endpoint =
    startTls && spec.defaultPort !== undefined && c.host
      ? { host: c.host, port, startTls, ...(c.tls?.servername ? { servername: c.tls.servername } : {}) }
      : undefined;
  const where = { connection: `target ${target}`, code: ErrorCodes.TARGET_UNREACHABLE };
  return explainTlsFailure(cause, { ...where, context: { target } }, endpoint);
}
