/**
 * Applies a repair plan: writes its ledger side (repair.ts), puts the work on the ordinary queues
 * (an extract job for re-reads, sign jobs that fan out to deliver jobs), works them with
 * in-process workers — other worker processes may help — and waits until the queues are idle.
 */
import { randomUUID } from 'node:crypto';
import type { Queue } from 'bullmq';
import { MAX_VERSION } from '../../catalog/identifier.js';
import { sealIdOf } from '../../config/seal-id.js';
import { ErrorCodes, LicbridgeError } from '../../core/errors.js';
import type { Logger } from '../../core/logger.js';
import { STOP_PART_MS, within } from '../../core/within.js';
import type { Ledger } from '../../ledger/ledger.js';
import { recordConfigChange } from '../config-audit.js';
import { IDLE_TIMEOUT_MS, jobsInFlight } from '../idle-rule.js';
import { enqueueExtract, enqueueSign, JOB_BATCH } from '../jobs.js';
import { busyMessage, PipelineBusy, releasePipelines, takePipeline } from '../pipeline-lease.js';
import { createQueues } from '../queues.js';
import { closeQueuesWithin } from '../queues-close.js';
import { assertRedisReachable, queueConnection } from '../redis.js';
import { endGivenUp } from '../run-given-up.js';
import { beatForRuns } from '../run-heartbeat.js';
import { closeDeadOwnedRuns, processOwner, REPAIR_RUN } from '../run-liveness.js';
import { endStopped, RunStopped, throwIfStopped } from '../run-stop.js';
import type { Runtime } from '../runtime.js';
import { waitUntilSettled } from '../settle.js';
import { storedReason } from '../workers/base.js';
import { closeWorkersWithin, startWorkers } from '../workers.js';
import { type AppliedRepairs, type RepairPlan, writeRepairs } from './repair.js';
import { repairDuplicateAnswers } from './repair-duplicates.js';

export interface ApplyOptions {
  logger: Logger;
  /**
   * Send again the re-deliveries earlier repairs held back as answered duplicates (the platform
   * was put right, or a person wants it asked once more). @defaultValue false
   */
  resendDuplicates?: boolean;
  /**
   * Give up when nothing has moved for this long, ms, not counting the time a live worker works
   * one of the repair's jobs (../idle-rule.ts). @defaultValue 120000
   */
  idleTimeoutMs?: number;
  /**
   * The command, as a stopped or given-up repair's run names it (`objection resolve --upheld` for
   * an uphold's re-read). @defaultValue 'reconcile --repair'
   */
  command?: string;
  /**
   * Aborted (its reason the signal's name), the repair stops: its run ends `abandoned`, its
   * pipeline is let go, and the call rejects with `RunStopped` (pipelines/run-stop.ts).
   */
  stop?: AbortSignal;
}

/** The command as a stopped or given-up repair's run names it. */
const COMMAND = 'reconcile --repair';

/** How a repair's messages and its run name the work: derived once from `options.command`. */
interface Naming {
  /** The command, as a stopped or given-up repair's run names it. */
  command: string;
  /** With the pipeline: `reconcile P: repair`, `objection resolve --upheld: re-read of pipeline P`. */
  what: string;
  /** Without it: `reconcile: repair`, `objection resolve --upheld: re-read`. */
  short: string;
  /** Its re-read: `reconcile: repair re-read`; an uphold's work is its re-read (`short`). */
  reRead: string;
}

/**
 * How messages name the work, with the pipeline (`reconcile P: repair`) and without
 * (`reconcile: repair`); an uphold's re-read is named by its own command, which the operator ran.
 */
function named(options: Pick<ApplyOptions, 'command'>, pipeline: string): Naming {
  if (options.command === undefined)
    return {
      command: COMMAND,
      what: `reconcile ${pipeline}: repair`,
      short: 'reconcile: repair',
      reRead: 'reconcile: repair re-read',
    };
  const short = `${options.command}: re-read`;
  return {
    command: options.command,
    what: `${options.command}: re-read of pipeline ${pipeline}`,
    short,
    reRead: short,
  };
}
/** How long a look at the queues waits for Redis, ms: unanswered, the look saw nothing move. */
const QUEUE_LOOK_MS = 5000;

export async function applyRepairs(
  rt: Runtime,
  plan: RepairPlan,
  options: ApplyOptions,
): Promise<AppliedRepairs> {
  const config = rt.config;
  const name = named(options, plan.pipeline);
  await assertRedisReachable(config.queue.redis, config.queue.connectTimeoutMs);
  const ledger = await rt.ledger();
  // A repair is a run of the pipeline (its re-read a full extraction): one run at a time
  // (pipeline-lease.ts). Taken before anything is written: beside a run, the repair wrote its
  // versions and reopenings, and only its re-read found the pipeline held — half a repair. The
  // re-read's extract job finds the lease its own run's, as `licbridge run`'s does.
  const lease = { pipeline: plan.pipeline, runId: `${REPAIR_RUN}${randomUUID()}` };
  const owner = processOwner();
  const held = await takePipeline(ledger, lease.pipeline, lease.runId, owner);
  if (held) {
    throw new PipelineBusy(held, busyMessage(held, name.what, 'nothing was changed'));
  }
  // The run's heartbeat and the pipeline's lease, in one turn as `licbridge run`'s: its run names
  // this process, so a repair killed (SIGKILL, a crash) leaves a run the next run, repair or
  // status finds ownerless and ends `abandoned` (run-recovery.ts), not one `running` for good.
  // Its failure told as a job's stored reason is (the driver's name and code before its words).
  const stopRenewing = beatForRuns(ledger, {
    owner,
    runs: () => [lease.runId],
    leases: [lease],
    logger: options.logger,
    bindings: lease,
    say: {
      lost: `${name.what}: another run took the pipeline over`,
      failed: `${name.what}: lease not renewed`,
    },
    reason: storedReason,
  });
  try {
    // Its versions and deliveries follow this process's mapping and targets (docs/audit.md); in
    // the lease's try, so a ledger that fails it still has the lease let go.
    await recordConfigChange(config, ledger.configChanges, options.logger);
    // Runs of the pipeline whose process is gone (a repair killed, whose lease was just taken over
    // or had run out) end `abandoned` as `licbridge run` ends them (run-recovery.ts), or `done` when
    // their work is complete: left `running`, status showed a dead repair's run beside this one
    // until a run came.
    const pipelineConfig = rt.pipelineConfig(plan.pipeline);
    const complete = (run: { runId: string }) =>
      ledger.completeRun(run.runId, sealIdOf(config, pipelineConfig), pipelineConfig.targets);
    for (const run of await closeDeadOwnedRuns(ledger, lease.pipeline, lease.runId, complete))
      options.logger.warn(
        { pipeline: plan.pipeline, runId: run.runId },
        `${name.what}: an earlier run's process is gone; its run ends abandoned`,
      );
    throwIfStopped(options.stop, [lease], name.command);
    return await applyHeld(rt, plan, options, name, lease.runId, owner);
  } finally {
    stopRenewing();
    // Bounded: a ledger that stopped answering leaves the lease to run out by itself.
    await within(releasePipelines(ledger, [lease]), STOP_PART_MS);
  }
}

/** The plan applied under the pipeline's lease, taken by `applyRepairs` for run `runId`. */
async function applyHeld(
  rt: Runtime,
  plan: RepairPlan,
  options: ApplyOptions,
  name: Naming,
  repairRun: string,
  owner: string,
): Promise<AppliedRepairs> {
  const config = rt.config;
  const parts = await rt.pipeline(plan.pipeline);
  const ledger = await rt.ledger();
  let applied: AppliedRepairs;
  try {
    applied = await writeRepairs(rt, plan, {
      resendDuplicates: options.resendDuplicates === true,
      runId: repairRun,
      owner,
      ...(options.stop ? { stop: options.stop } : {}),
      command: name.command,
    });
  } catch (e) {
    // Its run, started by the writes, is ended as below: left `running`, its lease let go, a run
    // of the pipeline could start beside it until this process was gone.
    await endRepairRun(ledger, repairRun, e, options.logger, name);
    throw e;
  }
  const connection = queueConnection(config.queue.redis);
  const queues = createQueues(connection, config.queue.prefix, parts.config.targets);
  const workers = startWorkers(rt, { connection, prefix: config.queue.prefix, queues });
  const failures: string[] = [];
  workers.events.on('runFailed', (runId: string, message: string) => {
    if (runId === applied.runId) failures.push(message);
  });
  try {
    const { runId } = applied;
    // Without a re-read the repair's run stays `running` until its versions are delivered (below),
    // as any run does until its work is over; the heartbeat holds its lease meanwhile, so no run
    // takes the pipeline beside the repair's deliveries.
    const idleTimeoutMs = options.idleTimeoutMs ?? IDLE_TIMEOUT_MS;
    const enqueued = (async () => {
      if (applied.reRead) await enqueueExtract(queues, { pipeline: plan.pipeline, runId, full: true });
      await enqueueSign(
        queues,
        { pipeline: plan.pipeline, runId, versionIds: applied.versionIds },
        { chunk: JOB_BATCH },
      );
    })();
    // Redis away: a job added waits for it without a bound, as the looks below would; a stop
    // asked for meanwhile does not wait for the bound.
    const added = await within(Promise.race([enqueued, stopAsked(options.stop)]), idleTimeoutMs);
    throwIfStopped(options.stop, [{ pipeline: plan.pipeline, runId }], name.command);
    if (!added) throw queuesSilent(idleTimeoutMs, runId, name.short);
    await enqueued;
    const all = [queues.extract, queues.sign, ...queues.deliver.values()] as Queue[];
    const openJobs = queueReader(all);
    let quiet = 0;
    let silent = false;
    let lastProgress = '';
    const settled = await waitUntilSettled(
      async () => {
        throwIfStopped(options.stop, [{ pipeline: plan.pipeline, runId }], name.command);
        if (failures.length > 0) {
          throw new LicbridgeError(ErrorCodes.INTERNAL, `${name.short} failed: ${failures[0]}`, {
            context: { runId },
          });
        }
        const run = await ledger.getRun(runId);
        // Redis gone: its commands wait for it without a bound. Unanswered, nothing moved.
        const counts = await openJobs(QUEUE_LOOK_MS);
        silent = counts === undefined;
        if (counts === undefined) return { done: false, progress: lastProgress };
        const open = counts.reduce((n, c) => n + Object.values(c).reduce((a, b) => a + b, 0), 0);
        // Two quiet looks in a row: a job that finishes enqueues its successor before it completes.
        quiet = (!applied.reRead || run?.state !== 'running') && open === 0 ? quiet + 1 : 0;
        if (run?.state === 'failed') {
          throw new LicbridgeError(ErrorCodes.INTERNAL, `${name.reRead} failed: ${run.error ?? 'failed'}`, {
            context: { runId },
          });
        }
        lastProgress = JSON.stringify([run?.state, counts]);
        return { done: quiet >= 2, progress: lastProgress };
      },
      { idleTimeoutMs, inFlight: jobsInFlight(queues, [plan.pipeline]) },
    );
    if (settled === 'idle') {
      if (silent) throw queuesSilent(idleTimeoutMs, runId, name.short);
      throw new LicbridgeError(
        ErrorCodes.INTERNAL,
        `${name.short}: nothing moved for ${Math.round(idleTimeoutMs / 1000)} s; see \`licbridge status\``,
        { retryable: true, context: { runId } },
      );
    }
    if (!applied.reRead) await ledger.finishRun(runId, { state: 'done' });
    const answers = await repairDuplicateAnswers(rt, applied.redeliveredKeys, runId, options.logger);
    if (answers.ownSends.length > 0) {
      options.logger.info(
        { pipeline: plan.pipeline, runId, keys: answers.ownSends },
        `${name.what}: ${answers.ownSends.length} re-delivery(ies) answered as duplicates of this repair's own earlier send (its answer was lost): delivered`,
      );
    }
    if (applied.awaitingPlatform.length > 0) {
      options.logger.info(
        { pipeline: plan.pipeline, runId, keys: applied.awaitingPlatform },
        `${name.what}: ${applied.awaitingPlatform.length} re-delivery(ies) not sent: the platform answered them submitted and is still reviewing them (it lists a license once accepted); their deliver jobs (or the next run's sweep) ask for its verdict, and send again a key the platform no longer knows`,
      );
    }
    if (applied.rowsBack.length > 0) {
      options.logger.warn(
        { pipeline: plan.pipeline, runId, licenseIds: applied.rowsBack },
        `${name.what}: ${applied.rowsBack.length} license(s) not revoked or cancelled: the source holds their rows again (read once more before the repair was written); a run reads them as any row`,
      );
    }
    if (applied.atVersionLimit.length > 0) {
      options.logger.warn(
        { pipeline: plan.pipeline, runId, licenseIds: applied.atVersionLimit },
        `${name.what}: ${applied.atVersionLimit.length} license(s) not repaired: each holds version ${MAX_VERSION}, the last a GB/T 36904 identifier numbers; issue them anew under a new number (each is quarantined LB_VERSION_LIMIT, with why)`,
      );
    }
    if (applied.withoutStoredText.length > 0) {
      // License ids only: the stored license (holder's name and number) is what is missing anyway.
      options.logger.warn(
        { pipeline: plan.pipeline, runId, licenseIds: applied.withoutStoredText },
        `${name.what}: ${applied.withoutStoredText.length} license(s) not revoked or cancelled: the ledger holds no stored license for the version the check saw, so there is nothing to build the ending from; \`licbridge verify --license <id>\` and \`licbridge audit show --license <id>\` show what the ledger holds of each`,
      );
    }
    if (applied.changedAtPlatform.length > 0) {
      options.logger.warn(
        { pipeline: plan.pipeline, runId, licenseIds: applied.changedAtPlatform },
        `${name.what}: ${applied.changedAtPlatform.length} license(s) only a platform holds not adopted: the platform holds them otherwise than the check saw (another version, status or content, sent since by another system); the check after the repair compares them as they are now`,
      );
    }
    if (applied.corruptStoredText.length > 0) {
      // License id, version and what is wrong only: never a value of the text.
      options.logger.warn(
        { pipeline: plan.pipeline, runId, licenses: applied.corruptStoredText },
        `${name.what}: ${applied.corruptStoredText.length} license(s) not revoked or cancelled: the stored license of the version the check saw does not read or does not match its content hash, so the ending is not built from it; each is quarantined LB_STORED_TEXT; \`licbridge verify --license <id>\` shows what the ledger holds of each`,
      );
    }
    const duplicates = [...applied.heldDuplicates, ...answers.duplicates];
    if (duplicates.length > 0) {
      options.logger.warn(
        { pipeline: plan.pipeline, runId, keys: duplicates, held: applied.heldDuplicates.length },
        `${name.what}: ${duplicates.length} re-delivery(ies) answered as duplicates: not repaired — the platform accepted these keys yet shows an older version; sending the same key again cannot change that, so a person must look at the platform. They are not sent again (${applied.heldDuplicates.length} held back by an earlier repair) until a repair runs with --resend-duplicates`,
      );
    }
    return { ...applied, duplicates };
  } catch (e) {
    // Ended here, before the pipeline is let go (applyRepairs): a re-read's extract job that a
    // worker process still works then commits no further page (a page lands only in a running
    // run), rather than read on under no lease beside the next run. Stopped by a signal, the run
    // is `abandoned` as a stopped `licbridge run`'s; given up, `failed` (`abandoned` once its
    // re-read was extracted: the next run signs and delivers the rest). Bounded: a ledger away
    // leaves it to the next run, which finds this process gone.
    await endRepairRun(ledger, applied.runId, e, options.logger, name);
    throw e;
  } finally {
    // Bounded as `licbridge run`'s stop: after Redis went away, BullMQ's close of a worker waits
    // on a reconnecting connection for good (workers/stop-hard.ts). The ledger holds every outcome.
    await closeWorkersWithin(workers, () =>
      options.logger.warn(`${name.what}: workers did not stop in time; stopping hard`),
    );
    await closeQueuesWithin(queues, STOP_PART_MS);
  }
}

/** Ends a repair's run for `e`: `abandoned` when stopped by a signal, else as given up (endGivenUp). */
async function endRepairRun(
  ledger: Ledger,
  runId: string,
  e: unknown,
  logger: Logger,
  name: Naming,
): Promise<void> {
  const ended =
    e instanceof RunStopped
      ? endStopped(ledger, e, logger)
      : endGivenUp(ledger, [{ runId }], storedReason(e), `\`licbridge ${name.command}\``);
  if (!(await within(ended, STOP_PART_MS)))
    logger.warn({ runId }, `${name.what}: its run was not ended in time; the next run closes it`);
}

/** Resolves once `stop` is aborted (at once if it is), never without one. */
function stopAsked(stop: AbortSignal | undefined): Promise<void> {
  if (stop?.aborted) return Promise.resolve();
  return new Promise((resolve) => stop?.addEventListener('abort', () => resolve(), { once: true }));
}

/** A repair given up because Redis did not answer for `ms`. */
function queuesSilent(ms: number, runId: string, short: string): LicbridgeError {
  return new LicbridgeError(
    ErrorCodes.QUEUE_UNREACHABLE,
    `${short}: the queues (Redis) did not answer and nothing moved for ${Math.round(ms / 1000)} s; see \`licbridge status\``,
    { retryable: true, context: { runId } },
  );
}

type JobCounts = Record<string, number>;

/**
 * Reads the queues' unfinished jobs, one read at a time: `undefined` when Redis did not answer
 * within `ms`. The read left waiting is the one the next look waits for, so reads do not pile up
 * behind a Redis that is away.
 */
function queueReader(queues: readonly Queue[]): (ms: number) => Promise<JobCounts[] | undefined> {
  let reading: Promise<JobCounts[]> | undefined;
  return async (ms) => {
    reading ??= Promise.all(
      queues.map((q) => q.getJobCounts('waiting', 'active', 'delayed', 'prioritized', 'waiting-children')),
    ).finally(() => {
      reading = undefined;
    });
    const read = reading;
    if (!(await within(read, ms))) return undefined;
    // Rejected: the look fails, as it did before it was bounded.
    return read;
  };
}
