/**
 * The audit entries of failed delivery attempts (ledger/deliveries.ts `recordDeliveryAttempt`): a
 * send the platform refused as a whole or never answered, or a status request that gave no verdict.
 * No row state records such an act (the delivery stays open), yet it is what a district shows to
 * say licbridge tried: each is recorded as `deliver-attempt`, by target (the actor), attempt number
 * and failure, with the acts of one call in one batch entry (audit-batch.ts; the tuple
 * `[versionId, attempt]`).
 *
 * The failure is recorded as a short reason code the caller passes (the deliver stage knows what
 * failed: an HTTP status, a timeout, a refused certificate, an answer past its size limit, …), and
 * the SM3 of the text as the delivery keeps it (`last_error`), never the text: an adapter's message
 * may quote a platform's answer, and a platform's answer a holder's name, which the chain, kept 20
 * years and exported, must not hold. The digest ties the entry to the text as long as the delivery
 * keeps it (`dlq show --json` prints a dead letter's). The code is never read back out of the text
 * here: words are no classification (an answer "larger than" its limit read as `other`, a host
 * named `timeout` made a refused connection a timeout).
 */
import { sm3Hex } from '../catalog/sm3.js';
import type { AttemptReason } from '../core/attempt-reasons.js';
import { type BatchAct, batchEntries } from './audit-batch.js';
import type { AuditInput } from './audit-chain.js';
import { type DeliveryRef, parseDeliveryKey } from './delivery-keys.js';

/** What failed: a send (`send`), or a status request of a delivery the platform reviews (`status`). */
export type AttemptStep = 'send' | 'status';

/** A failed attempt as the caller records it: the error text as kept, and the code of its kind. */
export interface AttemptFailure {
  /** The text the deliveries keep as their last error (capped); the entry holds its SM3 only. */
  error: string;
  reason: AttemptReason;
}

/**
 * The entries of one call's counted attempts (`counted`: the attempts now, by delivery key), in
 * the order of `refs`: one per target and attempt number (a batch's acts mostly share it), an act
 * alone in its group as an entry of its own naming its license and version. `failure.error` is the
 * text as stored on the deliveries.
 */
export function attemptEntries(
  refs: readonly DeliveryRef[],
  counted: ReadonlyMap<string, number>,
  { error, reason }: AttemptFailure,
  step: AttemptStep,
): AuditInput[] {
  const failure = { reason, errorSm3: sm3Hex(error), step };
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
