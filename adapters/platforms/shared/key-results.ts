/**
 * The results a platform answers for one delivery key, read as one answer. Shared by the targets
 * whose answers list a result per key (REST/JSON, SOAP/XML): nothing in either format stops an
 * answer from listing a key twice, and what such an answer means is decided here once.
 *
 * - Results whose statuses disagree (`rejected`, then `accepted`) decide nothing: taking the last
 *   one read recorded an acceptance the same answer refused, or dead-lettered a license it also
 *   accepted. So do results that agree on the status but name different platform ids (the
 *   platform may hold the license twice; which record is it?). The delivery fails, retryable, and
 *   the next try asks the platform what it holds before sending again (pipelines/stages/deliver.ts).
 * - `submitted` next to `accepted` is not a disagreement: it is no verdict, and the acceptance
 *   decides (a status answer may list the key's history). Next to `rejected` it still is.
 * - Results that agree are one answer holding what each says: a platform id given by any of them
 *   (a first result without it loses nothing), every error of every result (a rejection's reasons
 *   are what the operator fixes), and `duplicate` when any says the platform held the key already.
 */
import type { DeliveryOutcome } from '../target.js';
import { machineToken } from './platform-text.js';

/** One per-key result, as REST/JSON (batch-wire.ts) and SOAP/XML (answer.ts) read it. */
export interface KeyResult {
  readonly key: string;
  readonly status: string;
  readonly platformId?: string | null;
  readonly errors?: readonly string[];
  readonly duplicate?: boolean;
}

/** What the results of one key say together. */
export type KeyAnswer =
  | {
      readonly agreed: true;
      /** The first verdict's status (the others say the same, its synonym, or `submitted`). */
      readonly status: string;
      readonly platformId?: string;
      readonly errors: readonly string[];
      readonly duplicate: boolean;
    }
  | { readonly agreed: false; readonly reason: string };

/** Every result of each key, in the order given. */
export function resultsByKey<R extends KeyResult>(results: readonly R[]): Map<string, R[]> {
  const byKey = new Map<string, R[]>();
  for (const r of results) {
    const list = byKey.get(r.key);
    if (list) list.push(r);
    else byKey.set(r.key, [r]);
  }
  return byKey;
}

/**
 * The one answer `results` (all of one key) give, or undefined when there are none. `who` names
 * the answering side in a reason (`service`, `platform`); `stateOf` maps a status to what it
 * means, so two names of one state (REST/JSON's `submitted` and `pending`) agree.
 */
export function oneAnswer(
  results: readonly KeyResult[] | undefined,
  who: string,
  stateOf: (status: string) => string = (s) => s,
): KeyAnswer | undefined {
  if (results === undefined || results.length === 0) return undefined;
  // `submitted` is no verdict: next to an acceptance (a status answer listing the key's history,
  // in either order) the acceptance decides. A key once accepted stays so (a later change is a
  // new version, another key); next to a rejection it may be a replayed dead letter under review
  // again, so that pair still decides nothing.
  const accepted = results.some((o) => stateOf(o.status) === 'accepted');
  const verdicts = accepted ? results.filter((o) => stateOf(o.status) !== 'submitted') : results;
  const first = verdicts[0];
  if (first === undefined) return undefined;
  if (verdicts.some((o) => stateOf(o.status) !== stateOf(first.status))) {
    // A status that is no machine token (free text may carry personal data) shows as `?`.
    const statuses = results.map(({ status: said }) => machineToken(said) ?? '?').join(', ');
    return {
      agreed: false,
      reason: `${who} answered ${results.length} results for this key that disagree (${statuses})`,
    };
  }
  const ids = [...new Set(results.flatMap((o) => (o.platformId ? [o.platformId] : [])))];
  if (ids.length > 1) {
    // Counted, not quoted: an id is the platform's own text, and reasons reach logs and job data.
    return {
      agreed: false,
      reason: `${who} answered ${results.length} results for this key that name ${ids.length} different platform ids`,
    };
  }
  // A blank error (`<error/>`, `""`) says nothing: kept, it was a dead letter's whole reason.
  const errors = [...new Set(results.flatMap((o) => o.errors ?? []).filter((e) => e.trim() !== ''))];
  return {
    agreed: true,
    status: first.status,
    ...(ids[0] ? { platformId: ids[0] } : {}),
    errors,
    duplicate: results.some((o) => o.duplicate === true),
  };
}

/**
 * The reason of a result whose status licbridge does not know: named when it is a machine token
 * (a new status of the platform, a typo), never as free text (platforms echo the record into what
 * they write).
 */
export function unknownStatusReason(who: string, status: string): string {
  const token = machineToken(status);
  return `${who} answered with an unknown status${token ? ` \`${token}\`` : ''}`;
}

/**
 * The delivery outcome of one key's results (`results` all of that key): none or results that
 * disagree are a retryable failure — the next try asks the platform what it holds before it sends
 * again; an unknown status is one too. `receipt` is what the target adds to the answer's own
 * (`duplicate`), such as REST/JSON's batch id.
 */
export function keyOutcome(
  key: string,
  results: readonly KeyResult[] | undefined,
  who: string,
  options: { stateOf?: (status: string) => string; receipt?: Record<string, unknown> } = {},
): DeliveryOutcome {
  const stateOf = options.stateOf ?? ((s: string) => s);
  const r = oneAnswer(results, who, stateOf);
  if (!r)
    return {
      key,
      state: 'failed',
      retryable: true,
      reasons: [`${who} answered without a result for this key`],
      failure: 'no-result',
    };
  if (!r.agreed)
    return { key, state: 'failed', retryable: true, reasons: [r.reason], failure: 'results-disagree' };
  const platformId = r.platformId ? { platformId: r.platformId } : {};
  const receipt = { ...options.receipt, duplicate: r.duplicate };
  switch (stateOf(r.status)) {
    case 'accepted':
      return { key, state: 'accepted', ...platformId, receipt };
    case 'rejected':
      return {
        key,
        state: 'rejected',
        ...platformId,
        reasons: r.errors.length ? [...r.errors] : ['rejected without a reason'],
        receipt,
      };
    // The final state comes from a later status request (poll) and reconciliation.
    case 'submitted':
      return { key, state: 'submitted', ...platformId, receipt };
    default:
      return {
        key,
        state: 'failed',
        retryable: true,
        reasons: [unknownStatusReason(who, r.status)],
        failure: 'unknown-status',
        receipt,
      };
  }
}
