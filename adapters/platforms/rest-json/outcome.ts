/**
 * What the province platform's results for one key mean as a delivery outcome, for a batch and a
 * status request alike. Several results of one key are read as one answer, or as none when they
 * disagree (shared/key-results.ts, as the SOAP target reads its own).
 */
import { type KeyResult, oneAnswer, unknownStatusReason } from '../shared/key-results.js';
import type { DeliveryOutcome } from '../target.js';

/** Platforms that validate later answer `submitted`; some write `pending` for the same state. */
const stateOf = (status: string): string => (status === 'pending' ? 'submitted' : status);

export function toOutcome(
  key: string,
  results: readonly KeyResult[] | undefined,
  batchId: string | undefined,
): DeliveryOutcome {
  const result = oneAnswer(results, 'platform', stateOf);
  if (!result) {
    return {
      key,
      state: 'failed',
      retryable: true,
      reasons: ['platform answered without a result for this key'],
    };
  }
  // Neither is known: retried, and the next try asks `/licenses/status` before it sends again.
  if (!result.agreed) return { key, state: 'failed', retryable: true, reasons: [result.reason] };
  const receipt: Record<string, unknown> = {
    ...(batchId ? { batchId } : {}),
    duplicate: result.duplicate,
  };
  const platformId = result.platformId ? { platformId: result.platformId } : {};
  switch (stateOf(result.status)) {
    case 'accepted':
      return { key, state: 'accepted', ...platformId, receipt };
    case 'rejected':
      return {
        key,
        state: 'rejected',
        ...platformId,
        reasons: result.errors.length ? [...result.errors] : ['rejected without a reason'],
        receipt,
      };
    // The final state comes from the status request (poll) and reconciliation.
    case 'submitted':
      return { key, state: 'submitted', ...platformId, receipt };
    default:
      return {
        key,
        state: 'failed',
        retryable: true,
        reasons: [unknownStatusReason('platform', result.status)],
        receipt,
      };
  }
}
