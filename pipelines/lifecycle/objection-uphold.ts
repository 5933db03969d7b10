/**
 * Upholding an objection (rules art. 16; pipelines/lifecycle/objections.ts says what an uphold
 * asks of the source and the targets). Every decision an operator takes is in the audit chain: the
 * uphold is recorded as started (an `objection-attempt`) before its re-read writes the correction,
 * so a process killed before the decision leaves it named there, and once the objection is read as
 * open every way out of an uphold records one more: the objection upheld,
 * or an `objection-attempt` — held back (no correction yet, or not accepted everywhere), refused
 * (another decision came first), or failed (the objection's pipeline is not in the config, the
 * re-read failed, or reading what it wrote did). Only a ledger that cannot take the decision's
 * transaction leaves none, and then the error says so.
 */
import type { PipelineConfig } from '../../config/types.js';
import { crashPoint } from '../../core/crash-point.js';
import { ErrorCodes, errorLine, LicbridgeError } from '../../core/errors.js';
import type { Logger } from '../../core/logger.js';
import { operatorActor } from '../../ledger/audit-chain.js';
import type { Ledger } from '../../ledger/ledger.js';
import type { ResolveObjectionInput, StoredObjection, UpholdHeld } from '../../ledger/objections.js';
import { readWindowClosed } from '../read-window.js';
import { applyRepairs } from '../reconcile/apply-repairs.js';
import type { RepairPlan } from '../reconcile/repair.js';
import { RunStopped } from '../run-stop.js';
import type { Runtime } from '../runtime.js';
import {
  HELD_DUPLICATE,
  licenseVersions,
  settlementOf,
  targetsWithoutCorrection,
} from './objection-correction.js';

/**
 * An uphold that left the objection open: the re-read found no correction, the targets have not
 * accepted it yet, or the objection's pipeline is gone from the config. The attempt is audited;
 * what remains needs a person (the command exits 3, not 2: nothing was wrong with what was asked).
 */
export class ObjectionStaysOpen extends LicbridgeError {
  readonly objection: StoredObjection;

  constructor(message: string, objection: StoredObjection) {
    super(ErrorCodes.USAGE, message);
    this.name = 'ObjectionStaysOpen';
    this.objection = objection;
  }
}

export function assertNote(note: string): void {
  if (note.trim() === '')
    throw new LicbridgeError(
      ErrorCodes.USAGE,
      'objection resolve: expected `--note` to be some text, got nothing',
    );
}

/**
 * Records a decision. A refusal (another decision came first) or an unknown objection is the
 * ledger's own answer, passed on; a ledger that fails the transaction recorded nothing, which the
 * error says before the ledger's own words, so nobody takes the decision for one the chain holds.
 */
async function decide(ledger: Ledger, input: ResolveObjectionInput): Promise<StoredObjection> {
  try {
    return await ledger.resolveObjection(input);
  } catch (e) {
    if (e instanceof LicbridgeError && e.code === ErrorCodes.USAGE) throw e;
    const what =
      input.held?.reason === 'started'
        ? 'this uphold was not started (nothing was re-read): its start'
        : input.held
          ? `this uphold, held back (${input.held.reason}),`
          : 'this uphold';
    throw new LicbridgeError(
      ErrorCodes.LEDGER,
      `objection: ${input.objectionId}: ${what} was not recorded: the ledger failed the decision's transaction, so the objection is as it was and the audit chain holds nothing of it; resolve again once the ledger answers: ${errorLine(e)}`,
      { cause: e },
    );
  }
}

/**
 * An uphold that failed on the way (`error`): recorded as an attempt with the error's code — never
 * its message, which may quote a source row — and the error passed on. A refusal (another decision
 * resolved the objection while this one re-read) is in the chain too, as a refused attempt with the
 * same code: the error is passed on all the same. When the attempt cannot be recorded at all, the
 * error says both.
 */
async function failed(
  ledger: Ledger,
  input: ResolveObjectionInput,
  reason: UpholdHeld['reason'],
  error: unknown,
): Promise<never> {
  // Stopped by a signal (RunStopped): no error of the uphold's own, and said as such.
  const errorCode =
    error instanceof RunStopped ? 'stopped' : error instanceof LicbridgeError ? error.code : 'unexpected';
  try {
    await ledger.resolveObjection({ ...input, held: { reason, errorCode } });
  } catch (e) {
    // The ledger's own answer: a refusal, which its transaction audited as a refused attempt.
    if (e instanceof LicbridgeError && e.code === ErrorCodes.USAGE) throw error;
    throw new LicbridgeError(
      ErrorCodes.LEDGER,
      `objection: ${input.objectionId}: the uphold failed (${errorLine(error)}), and the attempt (${reason}) could not be recorded in the audit chain either: ${errorLine(e)}`,
      { cause: error },
    );
  }
  throw error;
}

export interface UpholdOptions {
  logger: Logger;
  /**
   * Give up when nothing has moved for this long, ms, not counting the time a live worker works
   * one of the re-read's jobs (../idle-rule.ts). @defaultValue 120000
   */
  idleTimeoutMs?: number;
  /**
   * Aborted (its reason the signal's name), the uphold stops as a repair does, at the next step
   * of its re-read's apply (apply-repairs.ts): its run ends `abandoned`, the pipeline is let go,
   * the objection stays open with the attempt audited (`re-read-failed`, code `stopped`), and the
   * call rejects with `RunStopped`.
   */
  stop?: AbortSignal;
  /** The host's clock, which a source's `readWindow` is read on. @defaultValue the system clock */
  now?: () => Date;
}

/**
 * Re-reads the objection's pipeline, waits until what changed is delivered, and records the
 * version that carries the correction. The source must hold the corrected row by then. An uphold
 * held back ({@link ObjectionStaysOpen}), refused, or failed is audited all the same.
 */
export async function upholdObjection(
  rt: Runtime,
  id: number,
  note: string,
  options: UpholdOptions,
): Promise<StoredObjection> {
  const now = options.now ?? (() => new Date());
  assertNote(note);
  const ledger = await rt.ledger();
  const decision = { objectionId: id, outcome: 'upheld' as const, note: note.trim(), actor: operatorActor() };
  const [objection] = await ledger.listObjections({ objectionId: id });
  if (!objection) throw new LicbridgeError(ErrorCodes.USAGE, `objection: there is no objection ${id}`);
  // Resolved already: the conditional update refuses the uphold, audits the refusal and says why.
  if (objection.state !== 'open') return decide(ledger, decision);
  const pipeline: PipelineConfig | undefined = rt.config.pipelines[objection.pipeline];
  if (!pipeline) {
    const held = await decide(ledger, { ...decision, held: { reason: 'pipeline-unknown' } });
    throw new ObjectionStaysOpen(
      `objection: ${id} stays open: license ${objection.licenseId} belongs to pipeline ${objection.pipeline}, which the config no longer defines, so its source cannot be re-read; put the pipeline back in the config and resolve again — or \`--rejected\` with the reply`,
      held,
    );
  }
  // Outside the source's read window the re-read reads no row, and the correction made at the
  // source would read as not made: nothing is re-read, and the message says why.
  const reReadFrom = now();
  const closed = readWindowClosed(rt.config, pipeline.source, reReadFrom);
  if (closed !== null) {
    const held = await decide(ledger, { ...decision, held: { reason: 'read-window-closed' } });
    throw new ObjectionStaysOpen(
      `objection: ${id} stays open: ${closed}: nothing was re-read, so no correction of license ${objection.licenseId} can be found; resolve again inside the window — or \`--rejected\` with the reply`,
      held,
    );
  }
  // In the chain before the re-read writes anything: an uphold that dies between the correction
  // and its decision is named there, beside the correction's own entry.
  await decide(ledger, { ...decision, held: { reason: 'started' } });
  const plan: RepairPlan = {
    reportId: `objection-${id}`,
    pipeline: objection.pipeline,
    items: [],
    byAction: { 're-read': 1, revoke: 0, cancel: 0, 'adopt-revoke': 0, 're-deliver': 0, flag: 0 },
  };
  try {
    await applyRepairs(rt, plan, {
      logger: options.logger,
      command: 'objection resolve --upheld',
      ...(options.idleTimeoutMs !== undefined ? { idleTimeoutMs: options.idleTimeoutMs } : {}),
      ...(options.stop ? { stop: options.stop } : {}),
    });
  } catch (e) {
    return failed(ledger, decision, 're-read-failed', e);
  }
  const reReadTo = now();
  // A process killed here re-read the source and recorded no decision, only the uphold's start:
  // the objection is still open, and the uphold run again re-reads to no effect (the versions'
  // content hashes match) and decides.
  crashPoint('objection-re-read');
  let corrected: number | undefined;
  // Settled by the license's ending, not a correction of its content: audited as such.
  let ended = false;
  let missing: { target: string; state: string | null }[] = [];
  try {
    const versions = await licenseVersions(ledger, objection.licenseId);
    const settled = settlementOf(objection.versionAtOpen, versions);
    corrected = settled?.version;
    ended = settled?.ended === true;
    if (corrected !== undefined)
      missing = await targetsWithoutCorrection(ledger, pipeline.targets, versions, corrected);
  } catch (e) {
    // The re-read is done and went out; what it wrote could not be read back to decide on.
    const found = corrected === undefined ? {} : { correctedVersion: corrected };
    return failed(ledger, { ...decision, ...found }, 'decision-failed', e);
  }
  // The window closed while the source was re-read: the source stops reading at its end, at a page
  // boundary, as if the table ended there (connectors/sql/sql-source.ts), so a correction not found
  // may be one not read. Not said to be missing at the source; a correction found was read.
  const closedMeanwhile =
    corrected === undefined ? closedBetween(rt, pipeline.source, reReadFrom, reReadTo) : null;
  if (closedMeanwhile !== null) {
    const held = await decide(ledger, { ...decision, held: { reason: 'read-window-closed' } });
    throw new ObjectionStaysOpen(
      `objection: ${id} stays open: ${closedMeanwhile}: the window closed while the source was re-read, and the re-read stops at the window's end, so the corrected row of license ${objection.licenseId} may not have been read and no correction of it was found; resolve again inside the window — or \`--rejected\` with the reply`,
      held,
    );
  }
  if (corrected === undefined) {
    const held = await decide(ledger, { ...decision, held: { reason: 'source-unchanged' } });
    throw new ObjectionStaysOpen(
      `objection: ${id} stays open: the source row of license ${objection.licenseId} still gives the content of version ${objection.versionAtOpen}, the one objected to (a later version that only changed its status, such as an expiry, corrects nothing; one that ended the license, revoked, cancelled or withdrawn, settles it); correct the row in the business system (pipeline ${objection.pipeline}), then resolve again — or \`--rejected\` with the reply`,
      held,
    );
  }
  if (missing.length > 0) {
    const held = await decide(ledger, {
      ...decision,
      correctedVersion: corrected,
      held: { reason: 'not-delivered', targets: missing },
    });
    const where = missing.map((m) => `${m.target} (${m.state ?? 'not sent'})`).join(', ');
    throw new ObjectionStaysOpen(
      `objection: ${id} stays open: version ${corrected} of license ${objection.licenseId} carries the correction, but ${where} has not accepted it, so the platform still shows what was objected to; ${correctionAdvice(objection.pipeline, missing)}, then resolve again`,
      held,
    );
  }
  return decide(ledger, { ...decision, correctedVersion: corrected, ...(ended ? { ended } : {}) });
}

/**
 * What gets a correction to the targets holding it up, by the state of its delivery there: a dead
 * letter is replayed; a discarded one (which `dlq replay` does not take) or one never made is sent
 * again by a repair; one held back as an answered duplicate is let go and sent again once the
 * platform is put right; a pending or submitted one is on its way.
 */
function correctionAdvice(
  pipeline: string,
  missing: readonly { target: string; state: string | null }[],
): string {
  const steps: string[] = [];
  const held = missing.filter((m) => m.state === HELD_DUPLICATE).map((m) => m.target);
  if (held.length > 0)
    steps.push(
      `ask the platform to restore the version it accepted, then send it again (\`licbridge reconcile ${pipeline} ${held.map((t) => `--target ${t}`).join(' ')} --repair --yes --resend-duplicates\`)`,
    );
  if (missing.some((m) => m.state === 'dead' || m.state === 'rejected'))
    steps.push('clear the cause of the dead letter (`licbridge dlq list`, then `licbridge dlq replay`)');
  const resend = missing.filter((m) => m.state === 'discarded' || m.state === null).map((m) => m.target);
  if (resend.length > 0)
    steps.push(
      `send it again (\`licbridge reconcile ${pipeline} ${resend.map((t) => `--target ${t}`).join(' ')} --repair --yes\`)`,
    );
  if (missing.some((m) => m.state === 'pending' || m.state === 'submitted'))
    steps.push('let it be delivered (a worker running, the platform deciding on what it was sent)');
  return steps.join('; ');
}

/**
 * What `readWindowClosed` says at the first moment from `from` to `to` the source's window was
 * closed, or null. Looked at every minute and at `to`: a window is set in whole minutes, so each
 * closed stretch holds one of the moments looked at; a day (1440 looks) covers every stretch.
 */
function closedBetween(rt: Runtime, source: string, from: Date, to: Date): string | null {
  const MINUTE = 60_000;
  const end = Math.min(to.getTime(), from.getTime() + 1440 * MINUTE);
  for (let t = from.getTime(); t < end; t += MINUTE) {
    const closed = readWindowClosed(rt.config, source, new Date(t));
    if (closed !== null) return closed;
  }
  return readWindowClosed(rt.config, source, to);
}
