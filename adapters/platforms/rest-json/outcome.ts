/**
 * What the province platform's results for one key mean as a delivery outcome, for a batch and a
 * status request alike: read as the SOAP target reads its own (shared/key-results.ts), with
 * `pending` another name of `submitted` and the answer's batch id kept in the receipt.
 */
import { failedBy } from '../shared/batches.js';
import { type KeyResult, keyOutcome } from '../shared/key-results.js';
import type { DeliveryOutcome } from '../target.js';
import type { Answer } from './batch-wire.js';

/** Platforms that validate later answer `submitted`; some write `pending` for the same state. */
const stateOf = (status: string): string => (status === 'pending' ? 'submitted' : status);

export function toOutcome(
  key: string,
  results: readonly KeyResult[] | undefined,
  batchId: string | undefined,
): DeliveryOutcome {
  return keyOutcome(key, results, 'platform', { stateOf, ...(batchId ? { receipt: { batchId } } : {}) });
}

/**
 * The outcome of the item keyed `key` of a batch `answer`: its results' (toOutcome), or, when a
 * batch answered with a non-zero code (`refused`) has none for it, the refusal of the request,
 * retryable and coded by the answer's code as a request refused whole.
 */
export function itemOutcome(key: string, answer: Answer): DeliveryOutcome {
  const results = answer.results.get(key);
  if (answer.refused && results === undefined) return failedBy(key, answer.refused);
  return toOutcome(key, results, answer.batchId);
}
