/**
 * Which stage a stored-text reason (`LB_STORED_TEXT`, repair-quarantine.ts) is of: what that stage
 * left undone decides which later event stands for the reason or closes it — a sign job's closes
 * with a signature, a deliver job's once nothing of the version is left to send, a repair's or the
 * tick's once that stage ends the license. The stage is written with the reason (`stage`). Read from
 * its message instead (whether the message held the stage's words), a message holding another
 * stage's words (a `problem` quoting them) was taken for that stage's: a deliver job meeting the
 * version wrote nothing beside a sign job's reason, and a repair ending the license closed a sign
 * job's reason about another version, its text still corrupt.
 */
import type { QuarantineReason } from './types-versions.js';

/** The stage that wrote a stored-text reason: the sign or deliver job, a repair, the lifecycle tick. */
export type StoredTextStage = 'sign' | 'deliver' | 'repair' | 'expire';

/** A stored-text reason as written: its stage beside the code and message. */
export interface StagedReason extends QuarantineReason {
  stage?: StoredTextStage;
}

const STAGES: readonly StoredTextStage[] = ['sign', 'deliver', 'repair', 'expire'];

/**
 * How each stage's messages ended before the stage was written with them (what restoring the text
 * brings, the message's last words): a reason of an earlier release is told by its end, which no
 * `problem` in the middle of the message reaches. These texts are what those releases wrote; they
 * do not follow the words the stages write now.
 */
const LEGACY_ENDINGS: readonly [StoredTextStage, string][] = [
  [
    'sign',
    'once its text is restored, the next run signs and delivers it (`licbridge run` sweeps unsigned versions)',
  ],
  [
    'deliver',
    'once its text is restored, `licbridge dlq replay` sends it, unless a later version of the license is accepted at that target by then (a replay then leaves it unsent)',
  ],
  // The deliver stage's words before a replay left a dead letter behind a later version accepted.
  ['deliver', 'once its text is restored, `licbridge dlq replay` sends it'],
  ['repair', 'once its text is restored, the next repair ends it'],
  ['expire', "once its text is restored, the next day's tick expires it"],
];

/** The stage of `reason`: as written with it, or for one of an earlier release, by how its message ends. */
export function stageOf(reason: QuarantineReason): StoredTextStage | undefined {
  const written = (reason as StagedReason).stage;
  if (written !== undefined) return STAGES.includes(written) ? written : undefined;
  return LEGACY_ENDINGS.find(([, end]) => reason.message.endsWith(end))?.[0];
}
