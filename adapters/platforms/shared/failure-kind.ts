/**
 * What kind of failure an adapter's error is, by the fields the adapters set on it
 * (./http-failure.ts: `status`, `platformCode`, `errno`, `limitBytes`, `unsure`; ./request-bytes.ts
 * `tooLarge`; a refused certificate's Node code in the cause chain, core/tls.ts; the kind itself,
 * `failure`, where the adapter knows it and no such field says it: a driver's codes,
 * ../front-db/driver-failure.ts, a credential answer that is no JSON, ./auth/credentials-failure.ts;
 * and the code of an error of the config, `other`), as a reason code of core/attempt-reasons.ts. A failed outcome made from an error carries it
 * (../target.ts `DeliveryOutcome.failure`); the deliver stage codes a thrown error by it too
 * (pipelines/stages/deliver-attempt-reasons.ts). Its words are never read here: a message's words
 * would take a host named `timeout` for a timeout, and an answer "larger than" its limit for
 * nothing known.
 */
import { type AttemptReason, isAttemptReason } from '../../../core/attempt-reasons.js';
import { ErrorCodes, isLicbridgeError } from '../../../core/errors.js';
import { tlsFailureKind } from '../../../core/tls.js';

/** Node and driver codes of a connection that got no answer in time. */
const TIMED_OUT = new Set(['ETIMEDOUT', 'ECONNABORTED', 'ESOCKETTIMEDOUT']);

/** Node and driver codes of a connection refused, dropped or never made (DNS, routing). */
const UNREACHABLE = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EHOSTDOWN',
  'EPIPE',
]);

/** `http-<status>` for a status an HTTP answer can carry; `other` for a number that is none. */
export function httpReason(status: number): AttemptReason {
  return Number.isInteger(status) && status >= 100 && status <= 599 ? `http-${status}` : 'other';
}

/** `code-<n>` for a platform's answer code the ledger keeps (up to six digits); `other` else. */
export function codeReason(code: number): AttemptReason {
  return Number.isInteger(code) && Math.abs(code) < 1_000_000 ? `code-${code}` : 'other';
}

/** `timeout` or `unreachable` for a Node or driver code of a connection (`ETIMEDOUT`, `ECONNREFUSED`, …). */
export function errnoReason(code: unknown): AttemptReason | undefined {
  if (typeof code !== 'string') return undefined;
  if (TIMED_OUT.has(code)) return 'timeout';
  return UNREACHABLE.has(code) ? 'unreachable' : undefined;
}

/**
 * The reason code `error`'s fields say, in the order below; undefined when none says (an error
 * whose adapter sets no field).
 */
export function errorFailureKind(error: unknown): AttemptReason | undefined {
  if (isLicbridgeError(error)) {
    const c = error.context;
    // Refused credentials are said by the code whichever status or answer code carried them.
    if (error.code === ErrorCodes.TARGET_AUTH) return 'auth';
    if (isAttemptReason(c.failure)) return c.failure;
    // A config the target cannot honour (a front database's table without a column licbridge
    // writes, TLS its driver cannot take) is none of the kinds below: read from its words, the
    // table or setting it names did (a table named EXCH_TIMEOUT was audited `timeout`).
    if (error.code === ErrorCodes.CONFIG_INVALID || error.code === ErrorCodes.USAGE) return 'other';
    if (typeof c.limitBytes === 'number') return 'answer-too-large';
    if (c.tooLarge === true) return 'request-too-large';
    if (typeof c.status === 'number') return httpReason(c.status);
    if (typeof c.platformCode === 'number') return codeReason(c.platformCode);
    const errno = errnoReason(c.errno);
    if (errno) return errno;
    if (c.tlsCode !== undefined || tlsFailureKind(error.cause)) return 'tls';
    if (c.unsure === true) return 'unreadable-answer';
    return undefined;
  }
  const errno = errnoReason((error as { code?: unknown } | null)?.code);
  if (errno) return errno;
  return tlsFailureKind(error) ? 'tls' : undefined;
}

/** `error`'s kind as a failed outcome's field: absent when its fields say none. */
export function failureOf(error: unknown): { failure?: AttemptReason } {
  const failure = errorFailureKind(error);
  return failure === undefined ? {} : { failure };
}
