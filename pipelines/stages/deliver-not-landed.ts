/**
 * The error a deliver call ends with when some of its deliveries did not land yet: a failure that
 * may pass, thrown for the queue to retry, with the wait the platform asked for (Retry-After), if
 * any, for the deliver worker to wait out without spending an attempt.
 */
import { ErrorCodes, LicbridgeError } from '../../core/errors.js';

/** Why a call's deliveries did not land yet, and the wait the platform asked for, if any. */
export interface Failure {
  count: number;
  total: number;
  reason: string;
  retryAfterMs?: number;
}

/** A failure's reason when a wait the platform asked for held the sends back before they went. */
export const PAUSED = 'not sent: the platform asked every caller to wait (Retry-After)';

/**
 * `failure` (a status request answered with Retry-After, about a review or a lost answer) with the
 * `held` open deliveries the same wait kept unsent: left out, the job's error said '1 of 2 did not
 * land yet' naming the review or the lost answer alone, and the dead letter a last attempt wrote
 * for one never sent gave it that one's reason.
 */
export function withHeld(failure: Failure, held: number): Failure {
  if (held === 0) return failure;
  return { ...failure, count: failure.count + held, reason: `${failure.reason}; ${held} ${PAUSED}` };
}

/** The error a call with deliveries left open ends with. */
export function notLanded(target: string, failure: Failure): LicbridgeError {
  const { retryAfterMs } = failure;
  return new LicbridgeError(
    ErrorCodes.TARGET_UNREACHABLE,
    `deliver: ${failure.count} of ${failure.total} deliveries to ${target} did not land yet: ${failure.reason}`,
    // A platform that asked to wait (Retry-After): the job is put back without spending an attempt
    // and the queue hands out no new job meanwhile (deliver-worker.ts), whichever request it
    // answered; this process's other requests to the target are held back (send-pause.ts).
    {
      retryable: true,
      context: { target, ...(retryAfterMs === undefined ? {} : { retryAfterMs }) },
    },
  );
}

/**
 * The failure a call ends with when `unasked` of its `total` deliveries were neither sent nor found
 * held: a send whose answer was lost, the platform not answering whether it holds it (`why`).
 * Beside a failure of the call's sends or a wait begun mid-call (`failure`), they are counted and
 * named with it: dropped, the job's error said '1 of 2' for a job whose three open deliveries did
 * not land, and the dead letters a last attempt writes said nothing of why those went unsent. A
 * send's failure counts the deliveries it sent, to which the unasked ones are added (never sent,
 * they are none of them); a wait's counts the call's.
 */
export function withUnasked(
  failure: Failure | undefined,
  unasked: number,
  total: number,
  why: string | undefined,
): Failure | undefined {
  if (unasked === 0) return failure;
  const reason = `the platform could not be asked whether it holds them${why ? `: ${why}` : ''}`;
  if (!failure) return { count: unasked, total, reason };
  return {
    ...failure,
    count: failure.count + unasked,
    total: Math.min(failure.total + unasked, total),
    reason: `${failure.reason}; ${unasked} not sent: ${reason}`,
  };
}
