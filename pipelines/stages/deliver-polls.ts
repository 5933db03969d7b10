/**
 * What the deliver stage (deliver.ts) writes of a status request's answers for deliveries the
 * platform holds as `submitted`. A platform may review for days and every job holding a key asks
 * again: an answer that only repeats what the ledger holds writes nothing, so days of polling
 * leave no row writes and no audit entries (the audit log is kept 20 years).
 */
import type { DeliveryOutcome } from '../../adapters/platforms/target.js';
import type { DeliveryLedger, StoredDelivery } from '../../ledger/ledger.js';
import type { DeliverResult } from './deliver.js';
import { attemptGroups } from './deliver-attempt-reasons.js';

/**
 * Whether writing `answer` changes the delivery as `read`: anything but a plain `submitted` does
 * (a verdict, a failure), and so does a `submitted` one that gives a platform id the row does not
 * hold, or comes after a failed check whose reason (`lastError`) it clears. The receipt of a
 * status answer still `submitted` is no change: it describes the status request (a gateway's batch
 * id of the poll), not the delivery, and the send's receipt stays. No `updated_at` is kept for the
 * poll either: the job's deferral count schedules the next one (deliver-worker.ts).
 */
export function changesDelivery(answer: DeliveryOutcome, read: StoredDelivery | undefined): boolean {
  if (answer.state !== 'submitted' || read?.state !== 'submitted') return true;
  if (read.lastError) return true;
  return answer.platformId !== undefined && answer.platformId !== read.platformId;
}

/**
 * A retryable failure of a status request decides nothing: the delivery stays `submitted`. Its
 * reason is kept on the delivery all the same (`last_error`, an attempt more), one write per
 * distinct reason and code (deliver-attempt-reasons.ts `attemptGroups`), so `dlq show`, reconcile
 * and an operator can tell why it still waits, and the caller can name it when the job stops
 * waiting.
 */
export async function recordPollFailures(
  ledger: DeliveryLedger,
  outcomes: readonly DeliveryOutcome[],
): Promise<DeliverResult['pollFailed']> {
  // A status request held back by the platform's wait (`unsent`) asked nothing: no check failed.
  // Counted, each request held after one answered 429 added an attempt, an audit entry and a
  // last error to deliveries no one asked about.
  const groups = attemptGroups(
    outcomes.filter((o) => o.unsent !== true),
    'the platform gave no verdict',
  );
  // Only on deliveries still submitted: another job's check may have decided one meanwhile (a
  // rejection dead-lettered, a dead letter replayed and leased to its sender).
  for (const { keys, error, reason } of groups)
    await ledger.recordDeliveryAttempt(keys, { error, reason }, 'submitted');
  const [first] = groups;
  const keys = groups.flatMap((g) => g.keys);
  // The caller names the first failure only; each delivery keeps its own.
  return first === undefined ? undefined : { keys, reason: first.error };
}
