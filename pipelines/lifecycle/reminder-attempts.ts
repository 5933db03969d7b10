/**
 * The attempts of one reminder's send (reminder-sender.ts claims the reminder and records what
 * this returns): up to a notify target's `attempts` requests, with its backoff or the wait its
 * gateway or credential endpoint asked for between them (reminder-waits.ts), none made that would
 * run past the claim's lease. Which reminders are sent, their claims and their outcomes in the
 * ledger are the sender's.
 */
import type { NotifyTargetConfig } from '../../adapters/platforms/notify/config.js';
import type { NotifyTarget, ReminderMessage } from '../../adapters/platforms/notify/notify-target.js';
import { neverSent } from '../../adapters/platforms/shared/batches.js';
import { errorLine, isLicbridgeError, type LicbridgeError } from '../../core/errors.js';
import { pauseUnlessStopped } from '../run-stop.js';
import { attemptMs } from './reminder-lease.js';
import { scrubReminderText } from './reminder-scrub.js';
import type { TargetWaits } from './reminder-waits.js';

/**
 * What a send came to: sent (answered from the gateway's idempotency memory or not), refused by
 * the gateway, or failed — `unsent` when no request left this host, so the send was no attempt.
 */
export type SendAnswer =
  | { state: 'sent'; messageId?: string; replayed: boolean }
  | { state: 'refused'; reason: string }
  | { state: 'failed'; error: string; unsent?: LicbridgeError };

/**
 * Up to `attempts` requests. The wait before the next is the backoff, or the gateway's
 * `Retry-After` when it asks for longer (its own answer, or another reminder's to the same
 * target); an attempt after such a wait, or after any wait once one was made, that would not end
 * before `deadline` (the claim's lease, less the time to record the answer) is not made: the
 * reminder stays pending for the next tick.
 */
export async function sendAttempts(
  target: NotifyTarget,
  config: NotifyTargetConfig,
  message: ReminderMessage,
  deadline: number,
  waits: TargetWaits,
  stop?: AbortSignal,
): Promise<SendAnswer> {
  let error = 'no attempt';
  /** The error of the last try when no try left this host (`neverSent`): the send was no attempt. */
  let unsent: LicbridgeError | undefined;
  /** Set once a try failed after its request left this host: the send was an attempt. */
  let left = false;
  /** Set once a wait longer than the backoff was made: the send has left sendLeaseMs's schedule. */
  let stretched = false;
  for (let attempt = 1; attempt <= config.attempts; attempt++) {
    // Asked to stop during the backoff or Retry-After wait: no further attempt. The one that
    // failed is counted (as when the attempts run out), which ends the claim.
    if (attempt > 1 && stop?.aborted) break;
    try {
      const answer = await target.send(message);
      if (answer.state !== 'refused') return answer;
      return { state: 'refused', reason: scrubReminderText(answer.reason, message.recipient) };
    } catch (e) {
      // The target's errors name target and origin; a gateway's short reason could still echo
      // the number it was sent, in any form, so the text is scrubbed before it is stored.
      error = scrubReminderText(isLicbridgeError(e) ? e.message : errorLine(e), message.recipient);
      if (isLicbridgeError(e) && neverSent(e)) unsent = e;
      else left = true;
      if (isLicbridgeError(e) && !e.retryable) break;
      // Uncapped, unlike a deliver job's (delivery-policy.ts): a wait longer than the claim is not
      // made here, and the gateway is not asked before the time it named.
      waits.note(target.name, e);
      if (attempt >= config.attempts) break;
      const backoff = config.backoffMs * 2 ** (attempt - 1);
      const wait = Math.max(backoff, waits.left(target.name));
      // The backoffs alone fit the lease (sendLeaseMs), its margin taking the milliseconds each
      // step adds; a longer wait the gateway asked for must leave the next attempt room before
      // the claim runs out, or it is not made. Once one was made, the later attempts' backoffs
      // no longer fit by the lease's making: each must leave that room too, or the send would
      // run past the claim and another tick could claim and send the same reminder.
      if (wait > backoff) stretched = true;
      if (stretched && Date.now() + wait + attemptMs(config) > deadline) break;
      await pauseUnlessStopped(wait, stop);
    }
  }
  return { state: 'failed', error, ...(left || !unsent ? {} : { unsent }) };
}
