/**
 * The reason codes of a failed delivery attempt: what a target's failure was, as an adapter says
 * it on a failed outcome (adapters/platforms/target.ts `DeliveryOutcome.failure`), the deliver
 * stage passes it to the ledger (pipelines/stages/deliver-attempt-reasons.ts) and a
 * `deliver-attempt` entry holds it (ledger/audit-attempts.ts). Here, below all three, so each
 * names the one list.
 */

/**
 * The named codes (docs/audit.md lists them). A status of the HTTP answer or a platform's answer
 * code in a 200 is kept as its number (`http-503`, `code-9`).
 */
export const ATTEMPT_REASONS = [
  'auth',
  'timeout',
  'unreachable',
  'tls',
  'unreadable-answer',
  'answer-too-large',
  'request-too-large',
  'unknown-status',
  'no-result',
  'results-disagree',
  'no-verdict',
  'other',
] as const;

/** Why an attempt failed: one of {@link ATTEMPT_REASONS}, or a number's. */
export type AttemptReason = (typeof ATTEMPT_REASONS)[number] | `http-${number}` | `code-${number}`;

const NAMED: ReadonlySet<string> = new Set(ATTEMPT_REASONS);

/** Whether `code` is a reason an entry may hold: a named one, `http-<100..599>` or `code-<int>`. */
export function isAttemptReason(code: unknown): code is AttemptReason {
  if (typeof code !== 'string') return false;
  return NAMED.has(code) || /^http-[1-5]\d\d$/.test(code) || /^code--?\d{1,6}$/.test(code);
}
