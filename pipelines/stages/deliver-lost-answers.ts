/**
 * What the deliver stage (deliver.ts) asks before sending again a delivery tried before whose
 * answer never came (a timeout, a connection cut after sending): it may have landed all the same,
 * and sent again the platform receives it twice. The platform's status request says which it holds.
 */
import { readsBackStored } from '../../adapters/platforms/shared/stored-read-back.js';
import type { DeliveryItem, DeliveryOutcome, TargetAdapter } from '../../adapters/platforms/target.js';
import { isLicbridgeError } from '../../core/errors.js';
import type { DeliveryLedger, SignatureLedger, StoredDelivery, VersionLedger } from '../../ledger/ledger.js';
import { longestWait } from '../delivery-policy.js';
import { recordAnswers } from './deliver-answers.js';
import { buildItems } from './deliver-items.js';
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
 * Whether a delivery may have reached the platform without its answer recorded: `pending` and
 * tried before (its answer lost: a timeout, a connection cut), or leased to a sender whose lease
 * ran out before it recorded an answer or let the row go (`leaseLapsed`: killed, or its ledger
 * write failed, after the send). The latter has no attempt counted: taken over, it was sent again
 * unasked, and the platform received it twice.
 */
export function mayHaveLanded(row: StoredDelivery): boolean {
  return row.state === 'pending' && (row.attempts > 0 || row.leaseLapsed === true);
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

/**
 * Before a deliver job gives up on its deliveries (its last attempt, or a failure for good, when
 * ../workers/deliver-worker.ts dead-letters what is still open): the platform is asked about those
 * tried before whose answer never came, as the next attempt would have asked, and what it holds is
 * recorded as it holds it (`accepted`, or `submitted` under review), so only the rest becomes a dead
 * letter. The last attempt's own send whose answer was lost was dead-lettered unasked: the ledger
 * said dead what the platform held, a replay sent it a second time (into the platform's review, a
 * duplicate), and the license's later versions were dead-lettered behind it. `versionIds`: the
 * job's versions the pipeline's seal has signed. Returns how many were recorded in each state.
 * A status request that fails decides nothing (those stay open for the caller's dead letters); one
 * that throws is thrown, the acceptances found before it not written.
 */
export async function recordHeldBeforeGivingUp(
  target: TargetAdapter,
  sealId: string,
  ledger: VersionLedger & SignatureLedger & DeliveryLedger,
  versionIds: readonly number[],
): Promise<{ accepted: number; submitted: number }> {
  const none = { accepted: 0, submitted: 0 };
  if (!target.poll || versionIds.length === 0) return none;
  const rows = await ledger.ensureDeliveries(versionIds, target.name);
  const unsure = rows.filter(mayHaveLanded);
  if (unsure.length === 0) return none;
  const sent = async (of: readonly StoredDelivery[]) =>
    (await buildItems(ledger, sealId, target.name, of)).items;
  const { held } = await askAboutLostAnswers(target, ledger, unsure, sent);
  // As the stage records a status answer: an acceptance over any state, the platform holds the
  // record; `submitted` only over the `pending` read, what another job wrote since left as it is.
  const written = await recordAnswers(ledger, held, unsure);
  const counted = held.filter((o) => written.has(o.key));
  return {
    accepted: counted.filter((o) => o.state === 'accepted').length,
    submitted: counted.filter((o) => o.state !== 'accepted').length,
  };
}
