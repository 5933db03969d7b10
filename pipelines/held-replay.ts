/**
 * licbridge's own replay of dead letters held behind an earlier version. A license's version n goes
 * to a target only once version n − 1 has landed there (accepted, or discarded by an operator:
 * stages/delivery-order.ts). A deliver job that stopped waiting for it dead-lettered the later
 * version saying so (workers/deliver-deferrals.ts: the earlier one still under review, or not
 * delivered yet), as the stage does one behind a dead predecessor (stages/deliver.ts). Nothing sent
 * it once the earlier version landed: a revocation held behind an issue the platform was still
 * reviewing stayed dead, and the platform showed the license valid, until someone ran `licbridge
 * dlq replay`. Once the earlier one lands, these letters are put back to `pending`, audited as a
 * replay by {@link HELD_REPLAY_ACTOR}, and queued by the caller; a process dying before it queues
 * them leaves them owed in the ledger, where a sweep or the pipeline's next run finds them
 * (sweep.ts `recoverPipeline`).
 *
 * Only a letter whose one reason is that wait, naming that very predecessor: one the platform
 * refused, or that failed past its attempts, stays for an operator. Only over the letter as read
 * (ledger/dead-letters.ts): two jobs landing it at once reopen it once, and a letter reopened and
 * dead again for another reason is not reopened again. Never one a later version of its license
 * supersedes (accepted at the target after it), as `dlq replay` leaves it.
 */
import type { DeadLetter, DeliveryLedger, VersionLedger } from '../ledger/ledger.js';
import { laterDeliveries, supersededBy } from './dead-letters-taken.js';

/** The audit actor of the replay: licbridge itself, not an operator's account. */
export const HELD_REPLAY_ACTOR = 'licbridge:held-replay';

/** The note its `dead_letter_actions` rows carry. */
export const HELD_REPLAY_NOTE = 'replayed by licbridge: the earlier version it was held behind has landed';

/** The end of a held delivery's dead letter (deliver-deferrals.ts); {@link heldOnly} reads it. */
const HELD_ADVICE = '; replay this once that one is accepted';

/**
 * The reason of a delivery dead-lettered at its job's last attempt while held behind `previousKey`
 * (`how`: what that one was then). The one text {@link heldOnly} reads back: change both together.
 */
export function heldBehindReason(previousKey: string, how: string, deferrals: number): string {
  return `licbridge: still waits for ${previousKey} (${how}) after its deliver job's last attempt (${deferrals} checks)${HELD_ADVICE}`;
}

/** The reason of a delivery dead-lettered as it follows a dead letter (stages/deliver.ts). */
export function behindDeadReason(previousKey: string): string {
  return `licbridge: waits for ${previousKey}, which is dead-lettered; replay that first`;
}

/** Whether `reasons` say only that the delivery waited for `previousKey`. */
export function heldOnly(reasons: readonly string[], previousKey: string): boolean {
  const [reason] = reasons;
  if (reasons.length !== 1 || reason === undefined) return false;
  if (reason === behindDeadReason(previousKey)) return true;
  return reason.startsWith(`licbridge: still waits for ${previousKey} (`) && reason.endsWith(HELD_ADVICE);
}

/** Predecessor states that let a successor go (stages/delivery-order.ts). */
const LANDED = new Set(['accepted', 'discarded']);

/** Adds the versions of `rows` read landed to `landed`; returns `e` (the failure a caller throws). */
export function addLanded(
  rows: readonly { state: string; versionId: number }[],
  landed: Set<number>,
  e?: unknown,
) {
  for (const r of rows) if (LANDED.has(r.state)) landed.add(r.versionId);
  return e;
}

/**
 * Whether a letter may be replayed and queued: its pipeline still delivers to its target, as
 * `licbridge dlq replay` asks (dead-letters-taken.ts `deliverable`). A letter of a pipeline removed,
 * or no longer listing the target, reopened and queued, failed its job on the pipeline's config and
 * stayed `pending`, out of the dead-letter list, where no sweep reads it.
 */
export type Replayable = (letter: DeadLetter) => boolean;

/**
 * Reopens the dead letters at `target` held only behind one of `landed` (versions accepted or
 * discarded there), and returns those it moved, oldest version first per license: the caller queues
 * them. Reads nothing more when none of `landed` has a dead successor (the common case).
 */
export async function replayHeldBehind(
  ledger: DeliveryLedger & VersionLedger,
  target: string,
  landed: readonly number[],
  replayable: Replayable = () => true,
): Promise<DeadLetter[]> {
  if (landed.length === 0) return [];
  const dead = await ledger.deadSuccessors(landed, target);
  if (dead.length === 0) return [];
  // Read again rather than trusted from the caller: the predecessor's state now, and which one the
  // letter follows (a renewal's is another license's version).
  const preds = new Map(
    (
      await ledger.deliveryPredecessors(
        dead.map((d) => d.versionId),
        target,
      )
    ).map((p) => [p.versionId, p]),
  );
  const held = dead.filter((d) => {
    const p = preds.get(d.versionId);
    return (
      p !== undefined &&
      LANDED.has(p.previousState ?? '') &&
      heldOnly(d.reasons, p.previousKey) &&
      replayable(d)
    );
  });
  if (held.length === 0) return [];
  const superseded = new Set(
    supersededBy(held, await laterDeliveries(ledger, held)).map((s) => s.letter.key),
  );
  // The letters as checked, with their revisions: one written since (an operator replayed it, the
  // platform refused it: dead again, for the refusal) is not reopened over a second read.
  const letters = held.filter((d) => !superseded.has(d.key));
  if (letters.length === 0) return [];
  return ledger.replayDeadLetters(letters, HELD_REPLAY_NOTE, HELD_REPLAY_ACTOR);
}

/** Replayed letters as a deliver job takes them, ids only: their pipeline, versions and licenses. */
export interface ReplayedJob {
  pipeline: string;
  versionIds: number[];
  /** For the log line that says what was replayed: references, no personal data. */
  licenseIds: string[];
}

/** `letters` by pipeline, each in the ledger's order (oldest version first per license). */
export function replayedJobs(letters: readonly DeadLetter[]): ReplayedJob[] {
  const groups = new Map<string, ReplayedJob>();
  for (const d of letters) {
    const job = groups.get(d.pipeline) ?? { pipeline: d.pipeline, versionIds: [], licenseIds: [] };
    job.versionIds.push(d.versionId);
    if (!job.licenseIds.includes(d.licenseId)) job.licenseIds.push(d.licenseId);
    groups.set(d.pipeline, job);
  }
  return [...groups.values()];
}

/** Letters a failed deliver call replayed before it rethrew, by its error (stages/deliver.ts). */
const reopenedOnFailure = new WeakMap<object, ReplayedJob[]>();

/**
 * The letters a deliver call that failed replayed first, for the worker to queue: what it read
 * landed before its failure (a status request's verdict) is landed all the same, and at a job's
 * last attempt no retry would read it again. Undefined when none, or `error` is no object.
 */
export function reopenedBy(error: unknown): ReplayedJob[] | undefined {
  return typeof error === 'object' && error !== null ? reopenedOnFailure.get(error) : undefined;
}

/**
 * Replays what `landed` holds after a call failed (best effort: the call's own error stays the one
 * reported), and ties the letters to `error` for {@link reopenedBy}.
 */
export async function replayedOnFailure(
  ledger: DeliveryLedger & VersionLedger,
  target: string,
  landed: ReadonlySet<number>,
  error: unknown,
  replayable?: Replayable,
): Promise<void> {
  if (landed.size === 0) return;
  const jobs = await replayedAfter(ledger, target, landed, replayable).catch(() => undefined);
  if (jobs && typeof error === 'object' && error !== null) reopenedOnFailure.set(error, jobs);
}

/**
 * What the deliver stage replays once a call is done (stages/deliver.ts): the letters held behind
 * `landed`, by pipeline for the caller to queue. Undefined when none.
 */
export async function replayedAfter(
  ledger: DeliveryLedger & VersionLedger,
  target: string,
  landed: ReadonlySet<number>,
  replayable?: Replayable,
): Promise<ReplayedJob[] | undefined> {
  const jobs = replayedJobs(await replayHeldBehind(ledger, target, [...landed], replayable));
  return jobs.length > 0 ? jobs : undefined;
}
