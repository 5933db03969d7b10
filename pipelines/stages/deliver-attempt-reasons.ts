/**
 * The reason code of a failed delivery attempt, as the deliver stage (deliver.ts, deliver-polls.ts)
 * passes it to the ledger with the error's text (ledger/audit-attempts.ts: the chain holds the
 * code and the text's SM3, never the text).
 *
 * A send that threw says what failed in the error's fields, as the adapters set them
 * (adapters/platforms/shared/http-failure.ts: `status`, `platformCode`, `errno`, `limitBytes`,
 * `unsure`; shared/request-bytes.ts `tooLarge`; a refused certificate's Node code in the cause
 * chain, core/tls.ts), and those decide: a message's words would take a host named `timeout`
 * for a timeout, and an answer "larger than" its limit for nothing known.
 *
 * An outcome an adapter answered `failed` carries no such field (adapters/platforms/target.ts
 * `DeliveryOutcome`: its reasons' text only), nor does an error whose adapter sets none (a front
 * database's driver failure keeps only the driver's code in its message): those are read from the
 * adapters' fixed words, after the target's name and any URL are taken out of the text.
 */
import type { DeliveryOutcome } from '../../adapters/platforms/target.js';
import { ErrorCodes, isLicbridgeError } from '../../core/errors.js';
import { tlsFailureKind } from '../../core/tls.js';
import type { AttemptReason } from '../../ledger/audit-attempts.js';

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
function httpReason(status: number): AttemptReason {
  return Number.isInteger(status) && status >= 100 && status <= 599 ? `http-${status}` : 'other';
}

/** `code-<n>` for a platform's answer code the ledger keeps (up to six digits); `other` else. */
function codeReason(code: number): AttemptReason {
  return Number.isInteger(code) && Math.abs(code) < 1_000_000 ? `code-${code}` : 'other';
}

function errnoReason(code: unknown): AttemptReason | undefined {
  if (typeof code !== 'string') return undefined;
  if (TIMED_OUT.has(code)) return 'timeout';
  return UNREACHABLE.has(code) ? 'unreachable' : undefined;
}

/**
 * The reason code of an error a target threw for a whole send (or a status request): by its
 * fields, in the order below; by the adapters' words only when no field says.
 */
export function thrownAttemptReason(error: unknown): AttemptReason {
  if (isLicbridgeError(error)) {
    const c = error.context;
    // Refused credentials are said by the code whichever status or answer code carried them.
    if (error.code === ErrorCodes.TARGET_AUTH) return 'auth';
    if (typeof c.limitBytes === 'number') return 'answer-too-large';
    if (c.tooLarge === true) return 'request-too-large';
    if (typeof c.status === 'number') return httpReason(c.status);
    if (typeof c.platformCode === 'number') return codeReason(c.platformCode);
    const errno = errnoReason(c.errno);
    if (errno) return errno;
    if (c.tlsCode !== undefined || tlsFailureKind(error.cause)) return 'tls';
    if (c.unsure === true) return 'unreadable-answer';
    return wordsReason(error.message);
  }
  const errno = errnoReason((error as { code?: unknown } | null)?.code);
  if (errno) return errno;
  if (tlsFailureKind(error)) return 'tls';
  return wordsReason(error instanceof Error ? error.message : String(error));
}

/**
 * The reason code of a `failed` outcome: one with no reasons is the platform's missing verdict
 * (the stage's own words for it, `not accepted yet`, `the platform gave no verdict`), one with
 * reasons is read from their words.
 */
export function outcomeAttemptReason(outcome: Pick<DeliveryOutcome, 'reasons'>): AttemptReason {
  if (!outcome.reasons?.length) return 'no-verdict';
  return wordsReason(outcome.reasons.join('; '));
}

/**
 * The adapters' fixed words (shared/http-failure.ts, shared/key-results.ts, a driver's errno), in
 * order: the first that fits is taken.
 */
const WORDS: readonly [RegExp, AttemptReason | ((m: RegExpExecArray) => AttemptReason)][] = [
  [/credentials refused/i, 'auth'],
  [/\bHTTP (\d{3})\b/, (m) => httpReason(Number(m[1]))],
  [/\bplatform code (-?\d{1,6})\b/, (m) => codeReason(Number(m[1]))],
  // http-failure.ts oversizeDetail: the answer cut off at its limit, before the words of a timeout
  // or a TLS failure its advice may hold.
  [/\banswer is larger than\b/i, 'answer-too-large'],
  [/request body too large to build/i, 'request-too-large'],
  [/no answer in time|timed? ?out\b|\bETIMEDOUT\b|\bECONNABORTED\b/i, 'timeout'],
  [
    /connection failed|unreachable|\bE(?:CONNREFUSED|CONNRESET|NOTFOUND|AI_AGAIN|HOSTUNREACH|NETUNREACH|PIPE)\b|socket hang up/i,
    'unreachable',
  ],
  [/certificate|\bTLS\b/i, 'tls'],
  [/not the documented|unreadable/i, 'unreadable-answer'],
  [/unknown status/i, 'unknown-status'],
  [/without a result|no result/i, 'no-result'],
  [/disagree/i, 'results-disagree'],
  [/no verdict|not accepted yet/i, 'no-verdict'],
];

/**
 * The reason code of an adapter's text: one of the words above, else `other`. The target's name
 * (`target <name>`, config's NAME_PATTERN) and any URL are taken out first: they are config's words,
 * and a host named `timeout` or a target named `tls-gate` says nothing of what failed.
 */
export function wordsReason(text: string): AttemptReason {
  const words = text
    .replace(/\btarget [a-z][a-z0-9-]*/g, 'target')
    .replace(/\b[a-z][a-z0-9+.-]*:\/\/[^\s)]*/gi, 'url');
  for (const [pattern, code] of WORDS) {
    const m = pattern.exec(words);
    if (m) return typeof code === 'string' ? code : code(m);
  }
  return 'other';
}
