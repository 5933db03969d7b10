/**
 * The reason code of a failed delivery attempt, as the deliver stage (deliver.ts, deliver-polls.ts)
 * passes it to the ledger with the error's text (ledger/audit-attempts.ts: the chain holds the
 * code and the text's SM3, never the text).
 *
 * A send that threw says what failed in the error's fields, as the adapters set them, and those
 * decide (adapters/platforms/shared/failure-kind.ts). An outcome an adapter answered `failed`
 * says it in its `failure` field (adapters/platforms/target.ts `DeliveryOutcome`), set where the
 * outcome is made: from the error that failed it (shared/batches.ts), for a key's results
 * (shared/key-results.ts), for a front database's row (front-db/write-batch.ts,
 * front-db/exchange-status.ts, front-db/front-db-target.ts).
 *
 * A front database's driver failure carries the kind its driver's codes say, thrown or as a status
 * request's failed outcome (front-db/driver-failure.ts, front-db/front-db-errors.ts), and a license
 * refused as too large even alone carries `request-too-large` (shared/request-bytes.ts
 * `tooLargeAlone`). Only what carries neither is read from the adapters' fixed words, after the
 * target's name and any URL are taken out of the text: an error or an outcome of an adapter that
 * sets no field (a target's own).
 *
 * The failed outcomes of one send or status request are recorded by their text and code
 * (`attemptGroups`), not all under the first one's.
 */
import { codeReason, errorFailureKind, httpReason } from '../../adapters/platforms/shared/failure-kind.js';
import type { DeliveryOutcome } from '../../adapters/platforms/target.js';
import type { AttemptReason } from '../../core/attempt-reasons.js';

/**
 * The reason code of an error a target threw for a whole send (or a status request): by its
 * fields; by the adapters' words only when no field says.
 */
export function thrownAttemptReason(error: unknown): AttemptReason {
  const kind = errorFailureKind(error);
  if (kind) return kind;
  return wordsReason(error instanceof Error ? error.message : String(error));
}

/**
 * The reason code of a `failed` outcome: the adapter's `failure` when it set one; else one with
 * no reasons is the platform's missing verdict (the stage's own words for it, `not accepted yet`,
 * `the platform gave no verdict`), one with reasons is read from their words.
 */
export function outcomeAttemptReason(outcome: Pick<DeliveryOutcome, 'reasons' | 'failure'>): AttemptReason {
  if (outcome.failure) return outcome.failure;
  if (!outcome.reasons?.length) return 'no-verdict';
  return wordsReason(outcome.reasons.join('; '));
}

/** Deliveries that failed alike: the error text they keep (`last_error`), its code, their keys. */
export interface AttemptGroup {
  error: string;
  reason: AttemptReason;
  keys: string[];
}

/**
 * The retryable `failed` outcomes among `outcomes`, grouped by the text their deliveries keep
 * (their reasons, `noReasons` for one with none) and its reason code, in the order first met: a
 * group is one `recordDeliveryAttempt`, so a batch that failed in several ways (one license too
 * large alone, one without a result, one a front database refused) keeps each delivery's own
 * error and code, and the deliveries of one failure still share an entry per target and attempt
 * number (ledger/audit-attempts.ts). The text alone is no key: an adapter may set two kinds under
 * the same words.
 */
export function attemptGroups(outcomes: readonly DeliveryOutcome[], noReasons: string): AttemptGroup[] {
  const groups = new Map<string, AttemptGroup>();
  for (const o of outcomes) {
    if (o.state !== 'failed' || o.retryable === false) continue;
    const error = (o.reasons?.length ? o.reasons : [noReasons]).join('; ');
    const reason = outcomeAttemptReason(o);
    const id = JSON.stringify([error, reason]);
    const group = groups.get(id);
    if (group) group.keys.push(o.key);
    else groups.set(id, { error, reason, keys: [o.key] });
  }
  return [...groups.values()];
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
