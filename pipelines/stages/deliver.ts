import { randomUUID } from 'node:crypto';
import type { TargetAdapter } from '../../adapters/platforms/target.js';
import type {
  DeliveryLedger,
  Ledger,
  SignatureLedger,
  StoredDelivery,
  VersionLedger,
} from '../../ledger/ledger.js';
import { longestWait } from '../delivery-policy.js';
import {
  addLanded,
  behindDeadReason,
  type Replayable,
  type ReplayedJob,
  replayedAfter,
  replayedOnFailure,
} from '../held-replay.js';
import { recordAnswers } from './deliver-answers.js';
import { attemptGroups } from './deliver-attempt-reasons.js';
import { versionsWithFile } from './deliver-files.js';
import { buildItems, sealSignatures } from './deliver-items.js';
import { askAboutLostAnswers, mayHaveLanded } from './deliver-lost-answers.js';
import { type Failure, notLanded, PAUSED, withHeld, withUnasked } from './deliver-not-landed.js';
import type { DeliverOptions } from './deliver-options.js';
import { changesDelivery, recordPollFailures } from './deliver-polls.js';
import { licensesOf, withSafeReasons } from './deliver-reasons.js';
import { sendWave } from './deliver-wave.js';
import { planWaves } from './delivery-order.js';

export interface DeliverResult {
  accepted: number;
  dead: number;
  skipped: number;
  /**
   * Deliveries held back: an earlier version of their license has not landed yet, or another job
   * holds one (or wrote it since this call read it, its verdict on it then left unwritten).
   */
  waiting: number;
  /** Deliveries the platform holds as `submitted`: accepted for checking, final state later. */
  submitted: number;
  /**
   * Submitted deliveries whose status request failed retryably this call (an unknown status,
   * results that disagree, no result for the key): still `submitted`, the reason kept on each as
   * its `lastError`. `reason` is the first one, made safe as a dead letter's (scrubPlatformReason,
   * deliver-reasons.ts): the worker keeps it in the job's data, in Redis. Absent when none.
   */
  pollFailed?: { keys: string[]; reason: string };
  /**
   * Keys of the deliveries not sent as their version lacks the signature of the pipeline's current
   * seal (its signer or `sealId` changed after the version was signed): left `pending`, unleased,
   * for the sign stage to sign and queue again (deliver-items.ts). Neither `waiting` nor dead.
   * Absent when none.
   */
  unsigned?: string[];
  /** Dead letters replayed as what they were held behind has landed (../held-replay.ts): to queue. */
  reopened?: ReplayedJob[];
}

const FINAL = new Set(['accepted', 'dead', 'discarded']);

/**
 * Delivers the given versions to one target. Each delivery is keyed by (license id, version,
 * target); a key already accepted, dead-lettered or discarded is never sent again, so a retried
 * job only resends what it has no recorded answer for. A wave's answers are recorded once its last
 * batch is answered: a process killed mid-wave loses the answers of the batches it sent, and the
 * job that takes the wave over (once its leases run out) sends those again under the same keys,
 * which the platform recognises as duplicates (test/cli/worker-crash.e2e.test.ts bounds them).
 *
 * Order: per license, version n is sent only once version n − 1 is accepted at this target (or
 * discarded by an operator). Both in one job go in two waves, the earlier first; a predecessor
 * still on its way elsewhere makes this one wait (`waiting`, the caller re-queues the job without
 * spending an attempt); a dead predecessor makes this one dead too, saying which key to replay.
 *
 * Rejections by the platform are permanent: dead letters with the platform's reasons. A failure
 * that may pass is thrown for the queue to retry. `replayable`: the held letters a version landed
 * here may reopen (../held-replay.ts), @defaultValue all.
 */
export async function deliverVersions(
  target: TargetAdapter,
  sealId: string,
  ledger: VersionLedger & SignatureLedger & DeliveryLedger & Pick<Ledger, 'licenseFiles'>,
  versionIds: readonly number[],
  options: DeliverOptions & { replayable?: Replayable } = {},
): Promise<DeliverResult> {
  const owner = options.owner ?? randomUUID();
  const leaseMs = options.leaseMs ?? 60_000;
  // The rows this call creates come leased to it (its claim then writes them no second time);
  // those no wave claims below, held back or dead-lettered unsent, are let go before it returns.
  const rows = await ledger.ensureDeliveries(versionIds, target.name, { owner, leaseMs });
  const unclaimed = new Set(rows.filter((r) => r.state === 'pending' && r.attempts === 0).map((r) => r.key));
  const landed = new Set<number>();
  try {
    const lease = { owner, leaseMs, unclaimed, options };
    // On a failure too (no retry reads it at a last attempt): the worker queues them, reopenedBy.
    const result = await sendRows(target, sealId, ledger, rows, lease, landed).catch(async (e: unknown) => {
      await replayedOnFailure(ledger, target.name, landed, e, options.replayable);
      throw e;
    });
    const reopened = await replayedAfter(ledger, target.name, landed, options.replayable);
    return reopened ? { ...result, reopened } : result;
  } finally {
    // Best effort: a lease not let go (the ledger unreachable) runs out by itself after `leaseMs`,
    // and the error that ended the call, if any, stays the one reported.
    if (unclaimed.size > 0) await ledger.releaseDeliveries([...unclaimed], owner).catch(() => undefined);
  }
}

async function sendRows(
  target: TargetAdapter,
  sealId: string,
  ledger: VersionLedger & SignatureLedger & DeliveryLedger & Pick<Ledger, 'licenseFiles'>,
  ensured: StoredDelivery[],
  lease: { owner: string; leaseMs: number; unclaimed: Set<string>; options: DeliverOptions },
  /** Filled with the versions read accepted or discarded here, or accepted in this call. */
  landed: Set<number>,
): Promise<DeliverResult> {
  const { owner, leaseMs, unclaimed, options } = lease;
  let rows = ensured;
  const result: DeliverResult = { accepted: 0, dead: 0, skipped: 0, waiting: 0, submitted: 0 };
  let failure: Failure | undefined;
  // The platform asked every caller to wait (Retry-After) while this process sent to it: nothing is
  // asked or sent, the job goes back for the time left (adapters/platforms/shared/send-pause.ts).
  const paused = target.waitLeft?.();
  const unfinished = rows.filter((r) => !FINAL.has(r.state)).length;
  if (paused !== undefined && unfinished > 0) {
    throw notLanded(target.name, {
      count: unfinished,
      total: rows.length,
      reason: PAUSED,
      retryAfterMs: paused,
    });
  }
  // Deliveries answered `submitted` earlier: ask the platform how its review ended.
  const submitted = rows.filter((r) => r.state === 'submitted');
  if (submitted.length > 0 && target.poll) {
    const outcomes = await target.poll(
      submitted.map((r) => ({ key: r.key, platformId: r.platformId, receipt: r.receipt })),
    );
    const safe = withSafeReasons(outcomes, await licensesOf(ledger, submitted, outcomes));
    // An answer repeating what the ledger holds (the review still pending) writes nothing.
    const read = new Map(submitted.map((r) => [r.key, r]));
    await recordAnswers(
      ledger,
      safe.filter((o) => changesDelivery(o, read.get(o.key))),
      submitted,
    );
    const pollFailed = await recordPollFailures(ledger, safe);
    rows = await ledger.getDeliveries(rows.map((r) => r.key));
    // Only keys counted in `submitted` below: one another job's check decided meanwhile is not.
    const still = new Set(rows.filter((r) => r.state === 'submitted').map((r) => r.key));
    const keys = pollFailed?.keys.filter((k) => still.has(k)) ?? [];
    if (pollFailed && keys.length > 0) result.pollFailed = { ...pollFailed, keys };
    // Answered with Retry-After: nothing more is asked or sent, the job waits as after a send.
    const unasked = safe.filter((o) => o.unverified);
    const retryAfterMs = longestWait(unasked);
    const why = unasked[0]?.reasons?.join('; ') ?? 'no answer';
    const reason = `the platform could not be asked how its review ended: ${why}`;
    if (retryAfterMs) {
      // The open ones are held back by that wait, none sent: counted and named with it.
      const held = rows.filter((r) => !FINAL.has(r.state) && r.state !== 'submitted').length;
      failure = withHeld({ count: unasked.length, total: rows.length, reason, retryAfterMs }, held);
    }
  }
  // A delivery tried before whose answer never came (a timeout, a dropped connection), or one whose
  // sender died after sending it (its lease ran out unanswered), may have landed all the same: ask
  // the platform before sending it again, so it is not received twice.
  const unsure = failure ? [] : rows.filter(mayHaveLanded);
  let unverified = new Set<string>();
  let unverifiedWait: number | undefined;
  let unverifiedWhy: string | undefined;
  if (unsure.length > 0 && target.poll) {
    // One whose stored text is corrupt is not checked: it is dead-lettered when its wave comes.
    const sent = async (of: readonly StoredDelivery[]) =>
      (await buildItems(ledger, sealId, target.name, of)).items;
    const lost = await askAboutLostAnswers(target, ledger, unsure, sent);
    ({ unverified, waitMs: unverifiedWait, why: unverifiedWhy } = lost);
    if (lost.held.length > 0) {
      await recordAnswers(ledger, lost.held, unsure);
      // Read again for the answers recorded; but one asked about is claimed only while its lease is
      // the one it had when asked (delivery-claims.ts): a lease another job took meanwhile, sent
      // under and died holding is read run out too, and is not this call's to take.
      const askedLease = new Map(unsure.map((r) => [r.key, r.leaseAsRead]));
      rows = (await ledger.getDeliveries(rows.map((r) => r.key))).map((r) =>
        askedLease.has(r.key) ? { ...r, leaseAsRead: askedLease.get(r.key) } : r,
      );
    }
    if (lost.refused !== undefined) throw addLanded(rows, landed, lost.refused);
  }
  // Read landed, before or by this call's checks (long ago too: a retry reads them again).
  addLanded(rows, landed);
  result.skipped = rows.filter((r) => FINAL.has(r.state)).length;
  result.submitted = rows.filter((r) => r.state === 'submitted').length;
  // What could not be checked is not sent now either: this job tries again later. A status
  // request answered with Retry-After sends nothing: the platform asked every caller to wait.
  // One another sender held a live lease on when this call read it is that sender's: not sent
  // here even should its lease run out before this call's claim (the sender died after sending
  // it), unless this call has asked the platform about it since. Whoever reads it next asks first.
  const asked = new Set(target.poll ? unsure.map((r) => r.key) : []);
  const theirs = new Set(ensured.filter((r) => r.leaseHeld && !asked.has(r.key)).map((r) => r.key));
  const unsent =
    unverifiedWait === undefined && !failure
      ? rows.filter((r) => !FINAL.has(r.state) && r.state !== 'submitted' && !unverified.has(r.key))
      : [];
  const sendable = unsent.filter((r) => !theirs.has(r.key));
  result.waiting += unsent.length - sendable.length;
  // A version the pipeline's current seal has not signed is left out, for the sign stage: it threw
  // out of the whole wave, every license of the job retried and at its last attempt dead-lettered.
  // Left out before the waves, a successor of it in this call waits for the sign stage too (held
  // behind it). A lease this call's ensureDeliveries took on it is let go with the unclaimed.
  // Read once: each wave builds its items from these signatures (buildItems), not read again.
  const signed = await sealSignatures(
    ledger,
    sealId,
    sendable.map((r) => r.versionId),
  );
  const open = sendable.filter((r) => signed.has(r.versionId));
  if (open.length < sendable.length)
    result.unsigned = sendable.filter((r) => !signed.has(r.versionId)).map((r) => r.key);
  if (open.length === 0 && unverified.size === 0 && !failure) return result;

  // A later version's predecessor is its license's version before; a first version's, the license
  // it continues (a renewal, change or transfer-in), when the ledger holds it.
  const preds = await ledger.deliveryPredecessors(
    open.map((r) => r.versionId),
    target.name,
  );
  const plan = planWaves(open, preds);
  if (plan.blocked.length > 0) {
    const dead = await ledger.recordDeliveryOutcomes(
      plan.blocked.map((b) => ({
        key: b.row.key,
        state: 'dead',
        reasons: [behindDeadReason(b.predecessorKey)],
        from: b.row.state, // as read (see `recordAnswers`), and not written since (its sender's attempt)
        revision: b.row.revision,
        unleased: { owner }, // not one another job is sending (it read the predecessor landed)
      })),
    );
    // Their outcome ended the lease (ledger/delivery-outcomes.ts). One not written is another job's
    // now (leased to it, or written since): not done with, this job looks again later.
    result.dead += dead.length;
    result.waiting += plan.blocked.length - dead.length;
    for (const k of dead) unclaimed.delete(k);
  }
  result.waiting += plan.waiting.length;

  // A later wave only holds successors of earlier ones, each sent once its own predecessor landed
  // in this call. Held back whole when any delivery of the wave before did not land, a revocation
  // whose issue had just been accepted waited for another license's rejection, and at its job's
  // last check became a dead letter (workers/deliver-deferrals.ts) with its issue accepted.
  const predecessorOf = new Map(preds.map((p) => [p.versionId, p.previousVersionId]));
  const landedHere = new Set<number>();
  let halted = false;
  for (const [depth, waveRows] of plan.waves.entries()) {
    // A failure that may pass (the platform down, asking to wait) sends nothing more this call.
    if (halted) {
      result.waiting += waveRows.length;
      continue;
    }
    const planned =
      depth === 0 ? waveRows : waveRows.filter((r) => landedHere.has(predecessorOf.get(r.versionId) ?? -1));
    result.waiting += waveRows.length - planned.length;
    if (planned.length === 0) continue;
    // A target that wants every record with its file holds versions whose file is not issued yet,
    // and (not landed here) the later versions of their licenses with them.
    let wave = planned;
    if (target.licenseFiles?.whenMissing === 'wait') {
      const withFile = await versionsWithFile(
        ledger,
        planned.map((r) => r.versionId),
      );
      wave = planned.filter((r) => withFile.has(r.versionId));
      result.waiting += planned.length - wave.length;
      if (wave.length === 0) continue;
    }
    // A wait asked for since this call began (another job's batch answered 429) holds back the rest:
    // nothing more is claimed or sent, as after this call's own (adapters/platforms/shared/send-pause.ts).
    const wait = target.waitLeft?.();
    if (wait !== undefined) {
      const left = plan.waves.slice(depth).reduce((n, w) => n + w.length, 0);
      failure = { count: left, total: rows.length, reason: PAUSED, retryAfterMs: wait };
      result.waiting += wave.length;
      halted = true;
      continue;
    }
    // Only what this call holds the lease on is sent: another job may be sending the rest right now.
    // Claimed as read: one another job took or wrote since this call read it (sent it, then died or
    // counted its attempt) is not this call's, though that job's lease ran out or was let go.
    const claimed = new Set(
      await ledger.claimDeliveries(
        wave.map((r) => r.key),
        owner,
        leaseMs,
        wave,
      ),
    );
    for (const k of claimed) unclaimed.delete(k);
    const mine = wave.filter((r) => claimed.has(r.key));
    result.waiting += wave.length - mine.length;
    if (mine.length === 0) continue;
    const { outcomes, items, written, yielded, lost } = await sendWave(
      target,
      sealId,
      ledger,
      mine,
      claimed,
      {
        owner,
        leaseMs,
        options,
        signed,
      },
    );
    // Refused here with the dead letter not written, or not sent as their lease was lost: another job's.
    result.waiting += yielded.size + lost;
    for (const o of outcomes) {
      if (!written.has(o.key)) continue;
      if (o.state === 'accepted') result.accepted += 1;
      else if (o.state === 'rejected' || (o.state === 'failed' && o.retryable === false)) result.dead += 1;
      else if (o.state === 'submitted') result.submitted += 1;
    }
    const failed = outcomes.filter((o) => o.state === 'failed' && o.retryable !== false);
    const groups = attemptGroups(failed, 'not accepted yet');
    if (groups[0]) {
      // Their attempts are written already, before their leases were let go (deliver-wave.ts).
      const retryAfterMs = longestWait(failed);
      // The job's message names the first failure only; each delivery keeps its own.
      failure = {
        count: failed.length,
        total: items.length,
        reason: groups[0].error,
        ...(retryAfterMs ? { retryAfterMs } : {}),
      };
    }
    // Only an acceptance lets a successor go: one submitted waits for the platform's review, and
    // one not sent (held, its lease lost) or refused holds its license's later versions back.
    const versionOf = new Map(mine.map((r) => [r.key, r.versionId]));
    for (const o of outcomes) {
      const versionId = versionOf.get(o.key);
      if (o.state === 'accepted' && versionId !== undefined) landedHere.add(versionId);
    }
    for (const v of landedHere) landed.add(v);
    halted = failure !== undefined;
  }
  failure = withUnasked(failure, unverified.size, rows.length, unverifiedWhy);
  // A status request answered with Retry-After sent nothing (`unsent` above): the open ones it did
  // not ask about are held back by that wait, counted and named with it ('1 of 3' left them out).
  if (failure && unverifiedWait !== undefined) {
    const held = rows.filter((r) => !FINAL.has(r.state) && r.state !== 'submitted' && !unverified.has(r.key));
    failure = withHeld(failure, held.length);
  }
  if (failure) {
    const retryAfterMs = longestWait([failure, { retryAfterMs: unverifiedWait }]);
    throw notLanded(target.name, { ...failure, ...(retryAfterMs === undefined ? {} : { retryAfterMs }) });
  }
  return result;
}
