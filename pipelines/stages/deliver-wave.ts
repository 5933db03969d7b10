/**
 * One wave of the deliver stage (deliver.ts) on the deliveries it has claimed: built, their files
 * attached, sent, and what came back written, before their leases are let go.
 *
 * Order matters at the end. A retryable failure of a request that left this host (no result for
 * the key, results that disagree, an unknown status, a timeout) may have landed: its attempt is
 * what tells the next try to ask the platform first (deliver-lost-answers.ts `mayHaveLanded`). The
 * wave let go of the leases first and counted the attempts after, so a sender killed in between, an
 * attempt write that failed, or a write of the wave's answers that failed (the attempts after it
 * never reached) left such a row `pending`, no attempt, nobody's lease: the next job, or a job
 * reading it in between, sent it again unasked, and a dead letter of it was replayed unasked too
 * (ledger/dead-letters.ts). The attempts are now written while the leases are held, and a row whose
 * attempt was not written keeps its lease: once it runs out, whoever reads the row next reads it
 * lapsed and asks first, as for a platform's answer the ledger failed to write.
 */
import { sentWith } from '../../adapters/platforms/shared/batches.js';
import type { DeliveryItem, DeliveryOutcome, TargetAdapter } from '../../adapters/platforms/target.js';
import type {
  DeliveryLedger,
  Ledger,
  SignatureLedger,
  StoredDelivery,
  StoredSignature,
  VersionLedger,
} from '../../ledger/ledger.js';
import { recordAnswers } from './deliver-answers.js';
import { attemptGroups, thrownAttemptReason } from './deliver-attempt-reasons.js';
import { logFailureCauses } from './deliver-causes.js';
import { attachLicenseFiles, recordRefusals } from './deliver-files.js';
import { buildItems } from './deliver-items.js';
import type { DeliverOptions } from './deliver-options.js';
import { thrownReason, thrownWithReason, withSafeReasons } from './deliver-reasons.js';
import { heldForSend, keptWhileSending, sendLease } from './delivery-lease.js';

export interface WaveSent {
  /** The wave's outcomes: its refusals, then the platform's answers. */
  outcomes: DeliveryOutcome[];
  /** The items sent. */
  items: DeliveryItem[];
  /** Keys whose outcome was written here (counted by the caller): one another job answered is that job's. */
  written: Set<string>;
  /** Refused here, the dead letter not written: another job's now. */
  yielded: Set<string>;
  /** Not sent: their lease ran out before the send and another job took it (heldForSend). */
  lost: number;
}

/** What a wave is sent with: its lease, the caller's options, and the signatures read for the call. */
export interface WaveLease {
  owner: string;
  leaseMs: number;
  options: DeliverOptions;
  signed: ReadonlyMap<number, StoredSignature>;
}

/**
 * Sends `mine` (the wave's deliveries `claimed` holds leases on), records what came back and lets
 * go of the leases that guard nothing more. A send that throws has its attempt written first, and
 * is thrown on.
 */
export async function sendWave(
  target: TargetAdapter,
  sealId: string,
  ledger: VersionLedger & SignatureLedger & DeliveryLedger & Pick<Ledger, 'licenseFiles'>,
  mine: readonly StoredDelivery[],
  claimed: ReadonlySet<string>,
  lease: WaveLease,
): Promise<WaveSent> {
  const { owner, leaseMs, options, signed } = lease;
  const sent: WaveSent = { outcomes: [], items: [], written: new Set(), yielded: new Set(), lost: 0 };
  // Sent and maybe landed, their attempt not written yet: their leases are kept (see above).
  const uncounted = new Set<string>();
  try {
    // Every one of `mine` is in `signed`: none is found unsigned here (a signature is never removed).
    const built = await buildItems(ledger, sealId, target.name, mine, signed);
    // Versions whose stored text is corrupt, or whose file cannot go as the ledger says, are dead
    // letters here, before any sending (deliver-items.ts, deliver-files.ts).
    const files = await attachLicenseFiles(ledger, target, built.items, options.fileStore);
    const prepared = { items: files.items, refused: [...built.corrupt, ...files.refused] };
    const refusals = new Set(await recordRefusals(ledger, prepared.refused, mine, owner));
    for (const o of prepared.refused) (refusals.has(o.key) ? sent.written : sent.yielded).add(o.key);
    const corrupt = built.corrupt.filter((c) => refusals.has(c.key));
    if (corrupt.length > 0)
      await options.onCorruptText?.(
        corrupt.map(({ key, versionId, problem }) => ({ key, versionId, problem })),
      );
    sent.outcomes = prepared.refused;
    // Leases looked at just before the send, renewed for the files' bytes when they need it: one
    // lost since the claim is another job's to send (./delivery-lease.ts heldForSend). Renewed while
    // the send runs too, however many requests it takes (keptWhileSending), what was read aside:
    // a row written since is being sent all the same, and kept.
    const items = await heldForSend(ledger, prepared.items, {
      owner,
      leaseMs,
      sizing: options.sizing,
      asRead: mine,
    });
    sent.items = items;
    sent.lost = prepared.items.length - items.length;
    if (items.length === 0) return sent;
    let answered: DeliveryOutcome[];
    try {
      const sendMs = sendLease(items, { leaseMs, sizing: options.sizing });
      answered = await keptWhileSending(
        ledger,
        items.map((i) => i.key),
        { owner, sendMs, logger: options.logger },
        () => target.deliver(items),
      );
    } catch (e) {
      // Counted as an attempt: the next try asks the platform first (deliver.ts `unsure`). Its
      // kind from the error's fields, not its words (deliver-attempt-reasons.ts). Not one whose
      // request never left (held by a wait, or after the request that failed: shared/batches.ts
      // sentWith): counted, it spent attempts, was audited as tried, and its next try asked first.
      const tried = sentWith(e, items).map((i) => i.key);
      const licenses = items.map((i) => i.license);
      for (const k of tried) uncounted.add(k);
      if (tried.length > 0)
        await ledger.recordDeliveryAttempt(tried, {
          error: thrownReason(e, licenses),
          reason: thrownAttemptReason(e),
        });
      uncounted.clear();
      throw thrownWithReason(e, licenses);
    }
    const licenses = new Map(items.map((i) => [i.key, i.license]));
    const answers = withSafeReasons(answered, licenses);
    sent.outcomes = [...prepared.refused, ...answers];
    logFailureCauses(options.logger, target.name, sent.outcomes, licenses);
    // Each failure on its own deliveries, a transaction each (deliver-attempt-reasons.ts). Those
    // whose request never left (`unsent`: sending stopped before their batch) are no attempt.
    const tried = answers.filter((o) => o.state === 'failed' && o.retryable !== false && o.unsent !== true);
    for (const o of tried) uncounted.add(o.key);
    for (const k of await recordAnswers(ledger, answers, mine)) sent.written.add(k);
    for (const { keys, error, reason } of attemptGroups(tried, 'not accepted yet')) {
      await ledger.recordDeliveryAttempt(keys, { error, reason });
      for (const k of keys) uncounted.delete(k);
    }
    return sent;
  } finally {
    // A lease only guards open deliveries: those now final need no release (one write saved per
    // job), and a platform's answer the ledger failed to write keeps it, as the platform holds the
    // delivery; so does a send whose attempt was not written. A refusal left unwritten is let go:
    // the other job's next try is not held back.
    const kept = new Set(
      sent.outcomes
        .filter((o) => (o.state !== 'failed' || o.retryable === false) && !sent.yielded.has(o.key))
        .map((o) => o.key),
    );
    for (const k of uncounted) kept.add(k);
    await ledger.releaseDeliveries(
      [...claimed].filter((k) => !kept.has(k)),
      owner,
    );
  }
}
