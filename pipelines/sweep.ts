/**
 * Recovers a run's work lost with the queue. Redis is not the record: a Redis restarted without
 * persistence (or flushed, or failed over to a replica that missed the last writes) forgets jobs,
 * while the ledger still knows what each version needs. When none of the run's queues holds a
 * job, anything the ledger shows unfinished was lost, and is enqueued again under fresh job ids
 * (the stable ids of the lost jobs may still sit among completed ones). Re-sending is safe: the
 * stages skip what is done, and deliveries carry their idempotency keys.
 */

import { batchJobId, type QueueSet } from './queues.js';
import type { Runtime } from './runtime.js';
import { deliverJobOptions } from './workers.js';

const BUSY_STATES = ['active', 'waiting', 'delayed', 'prioritized', 'waiting-children'] as const;

/** Whether any of the given queues holds a job that is still to be worked or being worked. */
export async function queuesBusy(queues: QueueSet, targets: readonly string[]): Promise<boolean> {
  const list = [queues.extract, queues.sign, ...targets.flatMap((t) => queues.deliver.get(t) ?? [])];
  for (const q of list) {
    const counts = await q.getJobCounts(...BUSY_STATES);
    if (Object.values(counts).some((n) => n > 0)) return true;
  }
  return false;
}

/** Enqueues the run's unfinished work again; returns the number of jobs added (0 when none was lost). */
export async function sweepRun(
  rt: Runtime,
  queues: QueueSet,
  run: { pipeline: string; runId: string },
  generation: number,
): Promise<number> {
  const parts = rt.pipelineConfig(run.pipeline);
  if (await queuesBusy(queues, parts.targets)) return 0;
  const ledger = await rt.ledger();
  const stored = await ledger.getRun(run.runId);
  if (!stored) return 0;
  const tag = `${run.runId}-sweep${generation}`;
  if (stored.state === 'running') {
    // The extract job went with the queue: it resumes from the checkpoint.
    await queues.extract.add(
      'extract',
      { pipeline: run.pipeline, runId: run.runId, full: false },
      { jobId: `extract_${tag}` },
    );
    return 1;
  }
  const sealId = rt.config.signers[parts.signer]?.sealId ?? parts.signer;
  const ids = await ledger.runVersionIds(run.runId);
  const signed = new Set(
    (await ledger.getSignatures(ids)).filter((s) => s.sealId === sealId).map((s) => s.versionId),
  );
  let added = 0;
  const unsigned = ids.filter((id) => !signed.has(id));
  for (let i = 0; i < unsigned.length; i += 500) {
    const part = unsigned.slice(i, i + 500);
    await queues.sign.add(
      'sign',
      { pipeline: run.pipeline, runId: run.runId, versionIds: part },
      { jobId: batchJobId('sign', tag, part) },
    );
    added += 1;
  }
  for (const target of parts.targets) {
    const queue = queues.deliver.get(target);
    if (!queue) continue;
    const states = await ledger.deliveryStates([...signed], target);
    const open = states
      .filter((s) => s.state === null || s.state === 'pending' || s.state === 'submitted')
      .map((s) => s.versionId);
    for (let i = 0; i < open.length; i += 500) {
      const part = open.slice(i, i + 500);
      await queue.add(
        'deliver',
        { pipeline: run.pipeline, runId: run.runId, target, versionIds: part },
        { jobId: batchJobId(`deliver-${target}`, tag, part), ...deliverJobOptions(rt, target) },
      );
      added += 1;
    }
  }
  return added;
}
