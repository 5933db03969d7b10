/**
 * What the province platform's results for one key mean as a delivery outcome, for a batch and a
 * status request alike: read as the SOAP target reads its own (shared/key-results.ts), with
 * `pending` another name of `submitted` and the answer's batch id kept in the receipt.
 */
import { failedBy } from '../shared/batches.js';
import { type KeyResult, keyOutcome } from '../shared/key-results.js';
import type { DeliveryOutcome } from '../target.js';
import type { Answer, UnreadableResult } from './batch-wire.js';

/**
 * Platforms that validate later answer `submitted`; some write `pending` for the same state. A
 * status is read in any case: no standard fixes its spelling, and a platform writing its enum's
 * names (`ACCEPTED`, as Jackson writes a Java enum) had every license retried and dead-lettered as
 * an unknown status, as the SOAP target reads its own (soap-xml-target.ts).
 */
const stateOf = (status: string): string => {
  const known = /^(accepted|rejected|submitted|pending)$/i.test(status) ? status.toLowerCase() : status;
  return known === 'pending' ? 'submitted' : known;
};

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
  return answerOutcome(key, answer);
}

/** At most this many unreadable results are named in one reason; the rest are counted. */
const NAMED_PROBLEMS = 3;

/**
 * The outcome of the key `key` in `answer` (a batch's or a status request's): its results'
 * (toOutcome), or, when it has none the answer could read, what was wrong with those it could not
 * (its own results first, else those whose key was unreadable, which may have been its): retryable,
 * the platform may hold the license, so the next try asks first (docs/sync.md).
 */
export function answerOutcome(key: string, answer: Answer): DeliveryOutcome {
  const results = answer.results.get(key);
  if (results !== undefined || !answer.unreadable) return toOutcome(key, results, answer.batchId);
  const own = answer.unreadable.filter((u) => u.key === key);
  if (own.length)
    return {
      key,
      state: 'failed',
      retryable: true,
      reasons: [`platform answered this key's result unreadable: ${named(own)}`],
      failure: 'unreadable-answer',
    };
  const unkeyed = answer.unreadable.filter((u) => u.key === undefined);
  if (!unkeyed.length) return toOutcome(key, results, answer.batchId);
  return {
    key,
    state: 'failed',
    retryable: true,
    reasons: [`platform answered without a result for this key, and ${named(unkeyed)}`],
    failure: 'no-result',
  };
}

function named(problems: readonly UnreadableResult[]): string {
  const shown = problems.slice(0, NAMED_PROBLEMS).map((p) => p.problem);
  const more = problems.length - shown.length;
  return shown.join('; ') + (more > 0 ? ` (and ${more} more)` : '');
}
