/**
 * The audit entries of failed delivery attempts (ledger/deliveries.ts `recordDeliveryAttempt`): a
 * send the platform refused as a whole or never answered, or a status request that gave no verdict.
 * No row state records such an act (the delivery stays open), yet it is what a district shows to
 * say licbridge tried: each is recorded as `deliver-attempt`, by target (the actor), attempt number
 * and failure, with the acts of one call in one batch entry (audit-batch.ts; the tuple
 * `[versionId, attempt]`).
 *
 * The failure is recorded as a short reason code read from the error's text by the fixed list
 * below, and the SM3 of the text as the delivery keeps it (`last_error`), never the text: an
 * adapter's message may quote a platform's answer, and a platform's answer a holder's name, which
 * the chain, kept 20 years and exported, must not hold. The digest ties the entry to the text as
 * long as the delivery keeps it (`dlq show --json` prints a dead letter's).
 */
import { sm3Hex } from '../catalog/sm3.js';
import { type BatchAct, batchEntries } from './audit-batch.js';
import type { AuditInput } from './audit-chain.js';
import { type DeliveryRef, parseDeliveryKey } from './delivery-keys.js';

/** What failed: a send (`send`), or a status request of a delivery the platform reviews (`status`). */
export type AttemptStep = 'send' | 'status';

/**
 * Reason codes by the words licbridge's adapters write (adapters/platforms/shared/http-failure.ts,
 * key-results.ts; a driver's errno), in order: the first that fits is taken. A status of the HTTP
 * answer or a platform's answer code is kept as its number (`http-503`, `code-9`).
 */
const REASONS: readonly [RegExp, string | ((m: RegExpExecArray) => string)][] = [
  [/credentials refused/i, 'auth'],
  [/\bHTTP (\d{3})\b/, (m) => `http-${m[1]}`],
  [/\bplatform code (-?\d{1,6})\b/, (m) => `code-${m[1]}`],
  [/no answer in time|timed? ?out\b|\bETIMEDOUT\b|\bECONNABORTED\b/i, 'timeout'],
  [
    /connection failed|unreachable|\bE(?:CONNREFUSED|CONNRESET|NOTFOUND|AI_AGAIN|HOSTUNREACH|NETUNREACH|PIPE)\b|socket hang up/i,
    'unreachable',
  ],
  [/certificate|\bTLS\b/i, 'tls'],
  [/not the documented|unreadable|answer (?:is|was) too large/i, 'unreadable-answer'],
  [/unknown status/i, 'unknown-status'],
  [/without a result|no result/i, 'no-result'],
  [/disagree/i, 'results-disagree'],
  [/no verdict|not accepted yet/i, 'no-verdict'],
];

/** The reason code of an attempt's error text: one of the list above, else `other`. */
export function attemptReason(text: string): string {
  for (const [pattern, code] of REASONS) {
    const m = pattern.exec(text);
    if (m) return typeof code === 'string' ? code : code(m);
  }
  return 'other';
}

/**
 * The entries of one call's counted attempts (`counted`: the attempts now, by delivery key), in
 * the order of `refs`: one per target and attempt number (a batch's acts mostly share it), an act
 * alone in its group as an entry of its own naming its license and version. `error` is the text as
 * stored on the deliveries.
 */
export function attemptEntries(
  refs: readonly DeliveryRef[],
  counted: ReadonlyMap<string, number>,
  error: string,
  step: AttemptStep,
): AuditInput[] {
  const failure = { reason: attemptReason(error), errorSm3: sm3Hex(error), step };
  const acts: BatchAct[] = refs.flatMap((ref) => {
    const attempt = counted.get(ref.key);
    const parts = parseDeliveryKey(ref.key);
    if (attempt === undefined || !parts) return [];
    const single: AuditInput = {
      action: 'deliver-attempt',
      actor: `target:${ref.target}`,
      licenseId: parts.licenseId,
      version: parts.version,
      // The delivery key is the entry's license, version and actor, as a `deliver` entry's.
      detail: { attempt, ...failure },
    };
    return [{ versionId: ref.versionId, tuple: [attempt], single }];
  });
  return batchEntries(acts, (act) => ({ attempt: act.tuple[0] ?? null, ...failure }));
}
