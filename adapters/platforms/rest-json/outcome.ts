/**
 * What the province platform's results for one key mean as a delivery outcome, for a batch and a
 * status request alike: read as the SOAP target reads its own (shared/key-results.ts), with
 * `pending` another name of `submitted` and the answer's batch id kept in the receipt.
 */
import { type KeyResult, keyOutcome } from '../shared/key-results.js';
import type { DeliveryOutcome } from '../target.js';

/** Platforms that validate later answer `submitted`; some write `pending` for the same state. */
const stateOf = (status: string): string => (status === 'pending' ? 'submitted' : status);

export function toOutcome(
  key: string,
  results: readonly KeyResult[] | undefined,
  batchId: string | undefined,
): DeliveryOutcome {
  return keyOutcome(key, results, 'platform', { stateOf, ...(batchId ? { receipt: { batchId } } : {}) });
}
