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
