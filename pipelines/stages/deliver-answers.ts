/**
 * What the deliver stage (deliver.ts) writes of the platform's answers, to a send or to a status
 * request: only those that decide something, each over the state its row was read in, so an answer
 * drawn from an old read never overwrites what another job wrote since.
 */
import type { DeliveryOutcome } from '../../adapters/platforms/target.js';
import type { DeliveryLedger, StoredDelivery } from '../../ledger/ledger.js';

/**
 * Writes the answers that decide something (a retryable failure is an attempt, recorded apart),
 * each only over the state its row was read in among `read` (`from`): a send's over the open state
 * its sender read, a status request's over `submitted`. What another job wrote since (its send's
 * answer once this call's lease ran out, its check's verdict, a replay) stays. Not a revision: a
 * rejection still applies after another job's request counted a failure. An acceptance goes over
 * any state: the platform holds the record. Returns the keys written.
 */
export async function recordAnswers(
  ledger: DeliveryLedger,
  outcomes: readonly DeliveryOutcome[],
  read: readonly StoredDelivery[],
): Promise<Set<string>> {
  const stateOf = new Map(read.map((r) => [r.key, r.state]));
  const final = outcomes.filter(
    (o) =>
      o.state === 'accepted' ||
      o.state === 'rejected' ||
      o.state === 'submitted' ||
      (o.state === 'failed' && o.retryable === false),
  );
  const written = await ledger.recordDeliveryOutcomes(
    final.map((o) => {
      const from = o.state === 'accepted' ? undefined : stateOf.get(o.key);
      return {
        key: o.key,
        state: o.state === 'accepted' ? 'accepted' : o.state === 'submitted' ? 'submitted' : 'dead',
        ...(o.platformId === undefined ? {} : { platformId: o.platformId }),
        ...(o.reasons === undefined ? {} : { reasons: o.reasons }),
        ...(o.receipt === undefined ? {} : { receipt: o.receipt }),
        ...(from === undefined ? {} : { from }),
      };
    }),
  );
  return new Set(written);
}
