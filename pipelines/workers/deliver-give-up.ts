/**
 * What a deliver job leaves when it gives up: its last attempt failed, or the failure is for good.
 * What the platform holds after a lost answer is recorded as it holds it, the rest of its open
 * deliveries dead-lettered with the failure, and the letters held behind any of its versions that
 * has landed are reopened for the worker to queue.
 *
 * Two ways a revocation held behind its issue stayed dead for good after 16072ed7, where the point
 * was to send it once the issue landed: the call's letters reopened before it failed (held-replay.ts
 * `reopenedBy`) were dead-lettered again here with another license's failure, no longer a letter held
 * only and never replayed; and the replay ran only when the look-up of lost answers found some
 * accepted, which never asks about an issue the call's status request had read accepted already
 * before a later request failed. The reopened letters are left to their replay, and the letters
 * held behind the job's versions are looked for whatever the look-up found (the probe for a dead
 * letter at the target makes that one statement where there is none, ledger/dead-successors.ts).
 */
import type { TargetAdapter } from '../../adapters/platforms/target.js';
import { errorLine } from '../../core/errors.js';
import type { Logger } from '../../core/logger.js';
import type { DeadLetter, DeliveryLedger, SignatureLedger, VersionLedger } from '../../ledger/ledger.js';
import { deadLetterOpen } from '../delivery-policy.js';
import { type ReplayedJob, replayedAfter } from '../held-replay.js';
import { signedBy } from '../stages/deliver-items.js';
import { recordHeldBeforeGivingUp } from '../stages/deliver-lost-answers.js';

export interface GivenUp {
  accepted: number;
  submitted: number;
  dead: number;
  /** Letters held behind a version of the job that has landed, reopened: the worker queues them. */
  replayed: ReplayedJob[] | undefined;
}

export async function giveUpDeliveries(
  ledger: DeliveryLedger & VersionLedger & SignatureLedger,
  adapter: TargetAdapter,
  job: { target: string; sealId: string; versionIds: readonly number[]; error: unknown },
  options: {
    /** Ask the platform what it holds of the lost answers (not when it asked every caller to wait). */
    askLost: boolean;
    /** The call's letters reopened before it failed (held-replay.ts `reopenedBy`). */
    reopened: readonly ReplayedJob[] | undefined;
    /** Only where `licbridge dlq replay` would send it. */
    replayable: (d: DeadLetter) => boolean;
    log: Pick<Logger, 'warn'>;
  },
): Promise<GivenUp> {
  const { target } = job;
  // Not a version the current seal has not signed: the sign stage's, left `pending`
  // (stages/deliver-items.ts), as the stage left it; its lack is not this failure.
  const sealed = await signedBy(ledger, job.sealId, job.versionIds);
  const signed = job.versionIds.filter((id) => sealed.has(id));
  const held = options.askLost
    ? await recordHeldBeforeGivingUp(adapter, job.sealId, ledger, signed).catch((e: unknown) => {
        options.log.warn(
          { target, error: errorLine(e) },
          'deliver: the platform could not be asked whether it holds the deliveries whose answer was lost; they are dead-lettered with the failure',
        );
        return { accepted: 0, submitted: 0 };
      })
    : { accepted: 0, submitted: 0 };
  const spared = new Set(options.reopened?.flatMap((r) => r.versionIds) ?? []);
  const dead = await deadLetterOpen(
    ledger,
    signed.filter((id) => !spared.has(id)),
    target,
    job.error,
  );
  // A failure here is logged, not the job's: its own failure is what it reports.
  const replayed = await replayedAfter(ledger, target, new Set(signed), options.replayable).catch(
    (e: unknown) => {
      options.log.warn(
        { target, error: errorLine(e) },
        'deliver: dead letters held behind deliveries found accepted could not be replayed; licbridge dlq replay sends them',
      );
      return undefined;
    },
  );
  return { ...held, dead, replayed };
}
