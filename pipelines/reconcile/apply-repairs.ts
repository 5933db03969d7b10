/**
 * Applies a repair plan: writes its ledger side (repair.ts), puts the work on the ordinary queues
 * (an extract job for re-reads, sign jobs that fan out to deliver jobs), works them with
 * in-process workers — other worker processes may help — and waits until the queues are idle.
 */
import { randomUUID } from 'node:crypto';
import { ErrorCodes, LicbridgeError } from '../../core/errors.js';
import type { Logger } from '../../core/logger.js';
import { enqueueExtract, enqueueSign, JOB_BATCH } from '../jobs.js';
import {
  busyMessage,
  keepPipeline,
  PipelineBusy,
  releasePipelines,
  takePipeline,
} from '../pipeline-lease.js';
import { createQueues } from '../queues.js';
import { assertRedisReachable, queueConnection } from '../redis.js';
import type { Runtime } from '../runtime.js';
import { waitUntilSettled } from '../settle.js';
import { storedReason } from '../workers/base.js';
import { startWorkers } from '../workers.js';
import { type AppliedRepairs, type RepairPlan, writeRepairs } from './repair.js';
import { repairDuplicateAnswers } from './repair-duplicates.js';

export interface ApplyOptions {
  logger: Logger;
  /**
   * Send again the re-deliveries earlier repairs held back as answered duplicates (the platform
   * was put right, or a person wants it asked once more). @defaultValue false
   */
  resendDuplicates?: boolean;
  /** Give up when nothing has moved for this long, ms. @defaultValue 120000 */
  idleTimeoutMs?: number;
}

export async function applyRepairs(
  rt: Runtime,
  plan: RepairPlan,
  options: ApplyOptions,
): Promise<AppliedRepairs> {
  const config = rt.config;
  await assertRedisReachable(config.queue.redis, config.queue.connectTimeoutMs);
  const ledger = await rt.ledger();
  // A repair is a run of the pipeline (its re-read a full extraction): one run at a time
  // (pipeline-lease.ts). Taken before anything is written: beside a run, the repair wrote its
  // versions and reopenings, and only its re-read found the pipeline held — half a repair. The
  // re-read's extract job finds the lease its own run's, as `licbridge run`'s does.
  const lease = { pipeline: plan.pipeline, runId: `repair-${randomUUID()}` };
  const held = await takePipeline(ledger, lease.pipeline, lease.runId);
  if (held) {
    throw new PipelineBusy(
      held,
      busyMessage(held, `reconcile ${plan.pipeline}: repair`, 'nothing was changed'),
    );
  }
  const stopRenewing = keepPipeline(ledger, lease, {
    lost: () =>
      options.logger.warn(lease, `reconcile ${plan.pipeline}: repair: another run took the pipeline over`),
    failed: (e) =>
      options.logger.warn(
        { ...lease, error: storedReason(e) },
        `reconcile ${plan.pipeline}: repair: lease not renewed`,
      ),
  });
  try {
    return await applyHeld(rt, plan, options, lease.runId);
  } finally {
    stopRenewing();
    await releasePipelines(ledger, [lease]);
  }
}

/** The plan applied under the pipeline's lease, taken by `applyRepairs` for run `runId`. */
async function applyHeld(
  rt: Runtime,
  plan: RepairPlan,
  options: ApplyOptions,
  repairRun: string,
): Promise<AppliedRepairs> {
  const config = rt.config;
  const parts = await rt.pipeline(plan.pipeline);
  const ledger = await rt.ledger();
  const applied = await writeRepairs(rt, plan, {
    resendDuplicates: options.resendDuplicates === true,
    runId: repairRun,
  });
  const connection = queueConnection(config.queue.redis);
  const queues = createQueues(connection, config.queue.prefix, parts.config.targets);
  const workers = startWorkers(rt, { connection, prefix: config.queue.prefix, queues });
  const failures: string[] = [];
  workers.events.on('runFailed', (runId: string, message: string) => {
    if (runId === applied.runId) failures.push(message);
  });
  try {
    const { runId } = applied;
    // Without a re-read the repair's run stays `running` until its versions are delivered (below):
    // ended at once, its lease held nothing (a lease of an ended run is free) and a run took the
    // pipeline beside the repair's deliveries.
    if (applied.reRead) await enqueueExtract(queues, { pipeline: plan.pipeline, runId, full: true });
    await enqueueSign(
      queues,
      { pipeline: plan.pipeline, runId, versionIds: applied.versionIds },
      { chunk: JOB_BATCH },
    );
    const all = [queues.extract, queues.sign, ...queues.deliver.values()];
    const idleTimeoutMs = options.idleTimeoutMs ?? 120_000;
    let quiet = 0;
    const settled = await waitUntilSettled(
      async () => {
        if (failures.length > 0) {
          throw new LicbridgeError(ErrorCodes.INTERNAL, `reconcile: repair failed: ${failures[0]}`, {
            context: { runId },
          });
        }
        const run = await ledger.getRun(runId);
        const counts = await Promise.all(
          all.map((q) => q.getJobCounts('waiting', 'active', 'delayed', 'prioritized', 'waiting-children')),
        );
        const open = counts.reduce((n, c) => n + Object.values(c).reduce((a, b) => a + b, 0), 0);
        // Two quiet looks in a row: a job that finishes enqueues its successor before it completes.
        quiet = (!applied.reRead || run?.state !== 'running') && open === 0 ? quiet + 1 : 0;
        if (run?.state === 'failed') {
          throw new LicbridgeError(
            ErrorCodes.INTERNAL,
            `reconcile: repair re-read failed: ${run.error ?? 'failed'}`,
            {
              context: { runId },
            },
          );
        }
        return { done: quiet >= 2, progress: JSON.stringify([run?.state, counts]) };
      },
      { idleTimeoutMs },
    );
    if (settled === 'idle') {
      throw new LicbridgeError(
        ErrorCodes.INTERNAL,
        `reconcile: repair: nothing moved for ${Math.round(idleTimeoutMs / 1000)} s; see \`licbridge status\``,
        { retryable: true, context: { runId } },
      );
    }
    if (!applied.reRead) await ledger.finishRun(runId, { state: 'done' });
    const answers = await repairDuplicateAnswers(rt, applied.redeliveredKeys, runId, options.logger);
    if (answers.ownSends.length > 0) {
      options.logger.info(
        { pipeline: plan.pipeline, runId, keys: answers.ownSends },
        `reconcile ${plan.pipeline}: repair: ${answers.ownSends.length} re-delivery(ies) answered as duplicates of this repair's own earlier send (its answer was lost): delivered`,
      );
    }
    if (applied.awaitingPlatform.length > 0) {
      options.logger.info(
        { pipeline: plan.pipeline, runId, keys: applied.awaitingPlatform },
        `reconcile ${plan.pipeline}: repair: ${applied.awaitingPlatform.length} re-delivery(ies) not sent: the platform answered them submitted and is still reviewing them (it lists a license once accepted); their deliver jobs (or the next run's sweep) ask for its verdict, and send again a key the platform no longer knows`,
      );
    }
    if (applied.rowsBack.length > 0) {
      options.logger.warn(
        { pipeline: plan.pipeline, runId, licenseIds: applied.rowsBack },
        `reconcile ${plan.pipeline}: repair: ${applied.rowsBack.length} license(s) not revoked or cancelled: the source holds their rows again (read once more before the repair was written); a run reads them as any row`,
      );
    }
    const duplicates = [...applied.heldDuplicates, ...answers.duplicates];
    if (duplicates.length > 0) {
      options.logger.warn(
        { pipeline: plan.pipeline, runId, keys: duplicates, held: applied.heldDuplicates.length },
        `reconcile ${plan.pipeline}: repair: ${duplicates.length} re-delivery(ies) answered as duplicates: not repaired — the platform accepted these keys yet shows an older version; sending the same key again cannot change that, so a person must look at the platform. They are not sent again (${applied.heldDuplicates.length} held back by an earlier repair) until a repair runs with --resend-duplicates`,
      );
    }
    return { ...applied, duplicates };
  } catch (e) {
    // A re-read's run is ended by its workers; one without, here (it would stay `running`).
    if (!applied.reRead) {
      await ledger
        .finishRun(applied.runId, { state: 'failed', error: storedReason(e) })
        .catch(() => undefined);
    }
    throw e;
  } finally {
    await workers.close();
    await queues.close();
  }
}
