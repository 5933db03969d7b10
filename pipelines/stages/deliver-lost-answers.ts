/**
 * What the deliver stage (deliver.ts) asks before sending again a delivery tried before whose
 * answer never came (a timeout, a connection cut after sending): it may have landed all the same,
 * and sent again the platform receives it twice. The platform's status request says which it holds.
 */
import { readsBackStored } from '../../adapters/platforms/shared/stored-read-back.js';
import type { DeliveryItem, DeliveryOutcome, TargetAdapter } from '../../adapters/platforms/target.js';
import { isLicbridgeError } from '../../core/errors.js';
import type { StoredDelivery, VersionLedger } from '../../ledger/ledger.js';
import { longestWait } from '../delivery-policy.js';
import { licensesOf, withSafeReasons } from './deliver-reasons.js';

export interface LostAnswers {
  /** Answers saying the platform holds the delivery (`accepted`, or `submitted`: under review), to record. */
  held: DeliveryOutcome[];
  /** Keys the platform could not be asked about: not sent now either, the job tries again later. */
  unverified: Set<string>;
  /** The longest Retry-After the status request was answered with, ms. */
  waitMs: number | undefined;
  /** What the status request met, scrubbed as a dead letter's: the reason the job fails with. */
  why: string | undefined;
  /**
   * A read-back that failed for good (not retryable): the caller records `held` (the acceptances
   * the status request found), then throws it.
   */
  refused?: unknown;
}

/**
 * Asks the platform about `unsure` (pending deliveries tried before). One it holds is not sent
 * again: accepted, or still under review (`submitted`) — sent again, it would go a second time
 * into the platform's review queue and be answered as a duplicate (its `duplicate_at` set), which
 * it never was. A target that can read back what it stored (the front database,
 * ../../adapters/platforms/shared/stored-read-back.ts) counts one under review as held only when
 * its record is stored as the send writes it (`sent` builds the items): a row an earlier send
 * stored damaged and failed to take out reads as undecided, and only sending again finds it and
 * rejects the delivery; a read-back that fails retryably leaves them unverified, as a failed status
 * request does. Anything else (rejected, gone, failed) is sent again, as before.
 */
export async function askAboutLostAnswers(
  target: TargetAdapter,
  ledger: VersionLedger,
  unsure: readonly StoredDelivery[],
  sent: (rows: readonly StoredDelivery[]) => Promise<DeliveryItem[]>,
): Promise<LostAnswers> {
  const answers =
    (await target.poll?.(
      unsure.map((r) => ({ key: r.key, platformId: r.platformId, receipt: r.receipt })),
    )) ?? [];
  const unasked = answers.filter((o) => o.unverified);
  const accepted = answers.filter((o) => o.state === 'accepted');
  let reviewing = answers.filter((o) => o.state === 'submitted');
  let refused: unknown;
  if (reviewing.length > 0 && readsBackStored(target)) {
    const keys = new Set(reviewing.map((o) => o.key));
    const items = await sent(unsure.filter((r) => keys.has(r.key)));
    try {
      const asSent = await target.heldAsSent(items);
      reviewing = reviewing.filter((o) => asSent.has(o.key));
    } catch (e) {
      // A read-back that failed (the database gone, out of time) is a status request that failed:
      // those keys are neither held nor sent again now, and what was read stays recorded. Thrown,
      // it ended the job before the acceptances were written and the other deliveries were sent.
      // One that failed for good fails the job, but only once the acceptances are written: thrown
      // here, the job's deliveries were dead-lettered, the ones the platform had accepted too.
      if (!isLicbridgeError(e) || !e.retryable) refused = e;
      else
        for (const o of reviewing) {
          unasked.push({
            key: o.key,
            state: 'failed',
            retryable: true,
            unverified: true,
            reasons: [e.message],
          });
        }
      reviewing = [];
    }
  }
  // A status answer still under review describes the status request, not the send (as for a
  // delivery polled under review, deliver-polls.ts): its receipt, `duplicate` and all, is not kept.
  const held = [...accepted, ...reviewing.map(({ receipt: _, ...o }) => o)];
  return {
    held: withSafeReasons(held, await licensesOf(ledger, unsure, held)),
    unverified: new Set(unasked.map((o) => o.key)),
    waitMs: longestWait(unasked),
    why: withSafeReasons(unasked, new Map())[0]?.reasons?.join('; '),
    ...(refused === undefined ? {} : { refused }),
  };
}
