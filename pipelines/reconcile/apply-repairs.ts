/**
 * Applies a repair plan: writes its ledger side (repair.ts), puts the work on the ordinary queues
 * (an extract job for re-reads, sign jobs that fan out to deliver jobs), works them with
 * in-process workers — other worker processes may help — and waits until the queues are idle.
 */
import { ErrorCodes, LicbridgeError } from '../../core/errors.js';
import type { Logger } from '../../core/logger.js';
import { enqueueExtract, enqueueSign, JOB_BATCH } from '../jobs.js';
import { createQueues } from '../queues.js';
import { assertRedisReachable, queueConnection } from '../redis.js';
import type { Runtime } from '../runtime.js';
import { waitUntilSettled } from '../settle.js';
import { startWorkers } from '../workers.js';
import { type AppliedRepairs, type RepairPlan, writeRepairs } from './repair.js';

export interface ApplyOptions {
  logger: Logger;
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
  const parts = await rt.pipeline(plan.pipeline);
  const ledger = await rt.ledger();
  const applied = await writeRepairs(rt, plan);
  const connection = queueConnection(config.queue.redis);
  const queues = createQueues(connection, config.queue.prefix, parts.config.targets);
  const workers = startWorkers(rt, { connection, prefix: config.queue.prefix, queues });
  const failures: string[] = [];
  workers.events.on('runFailed', (runId: string, message: string) => {
    if (runId === applied.runId) failures.push(message);
  });
  try {
    const { runId } = applied;
    if (applied.reRead) {
      await enqueueExtract(queues, { pipeline: plan.pipeline, runId, full: true });
    } else {
      await ledger.finishRun(runId, { state: 'done' });
    }
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
        quiet = run?.state !== 'running' && open === 0 ? quiet + 1 : 0;
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
    const duplicates = await answeredAsDuplicates(rt, applied.redeliveredKeys);
    if (duplicates.length > 0) {
      options.logger.warn(
        { pipeline: plan.pipeline, runId, keys: duplicates },
        `reconcile ${plan.pipeline}: repair: ${duplicates.length} re-delivery(ies) answered as duplicates: not repaired — the platform accepted these keys yet shows an older version; sending the same key again cannot change that, so a person must look at the platform`,
      );
    }
    return { ...applied, duplicates };
  } finally {
    await workers.close();
    await queues.close();
  }
}

/**
 * The re-delivered keys whose send the platform answered as a duplicate: it holds the key already
 * (it accepted that version once) and changes nothing, although the check saw it show an older
 * version. `keys` are the deliveries this repair put back to `pending` (repair.ts): their receipt
 * was cleared when reopened, so the one read here is this send's.
 */
async function answeredAsDuplicates(rt: Runtime, keys: readonly string[]): Promise<string[]> {
  if (keys.length === 0) return [];
  const ledger = await rt.ledger();
  return (await ledger.getDeliveries(keys)).filter((d) => d.receipt?.duplicate === true).map((d) => d.key);
}
