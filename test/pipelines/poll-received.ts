/**
 * A fake platform's status read for the delivery tests: it notes each key asked about in `polled`,
 * and answers accepted for a key it received, retryable "no result" for one it did not.
 */
import type { DeliveryOutcome, SubmittedDelivery } from '../../adapters/platforms/target.js';

export function pollReceived(
  received: ReadonlyMap<string, number>,
  polled: string[],
): (asked: readonly SubmittedDelivery[]) => Promise<DeliveryOutcome[]> {
  return async (asked) => {
    polled.push(...asked.map((a) => a.key));
    return asked.map((a) =>
      received.has(a.key)
        ? { key: a.key, state: 'accepted', platformId: `P-${a.key}` }
        : { key: a.key, state: 'failed', retryable: true, reasons: ['no result for the key'] },
    );
  };
}
