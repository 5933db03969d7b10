/**
 * Deliveries the ledger owes that no job holds. A deliver job can go without its work being done:
 * removed by hand, lost with a Redis that restarted without persistence, or failed for good before
 * it could record a dead letter. They stay owed until the pipeline's next scheduled run
 * (pipelines/sweep.ts, `recoverUnqueuedDeliveries`), a `licbridge run` or the daily lifecycle tick
 * queues them again; until then this note names them.
 */

import type { Queue } from 'bullmq';
import { sealIdOf } from '../../config/seal-id.js';
import type { Config } from '../../config/types.js';
import type { Ledger } from '../../ledger/ledger.js';
import { deliverQueueName, type QueueSet } from '../queues.js';
import { queueHoldsPipeline } from '../sweep.js';
import type { Attention } from './attention.js';
import type { QueueStats } from './queue-stats.js';
import { isLedgerError, ledgerAttention } from './status-ledger.js';
import { withTimeout } from './timeout.js';

const holds = (q: QueueStats | undefined): boolean =>
  q !== undefined && q.waiting + q.prioritized + q.active + q.delayed > 0;

/**
 * One note per pipeline and target whose signed versions wait for a delivery while no extract or
 * sign job of the pipeline, nor deliver job of the pipeline to that target, is queued. Queues are
 * shared by the pipelines: another pipeline's jobs do not hide this one's. `stats` are the queues'
 * counts (a queue holding nothing is not scanned); `owed` is what the caller read before the
 * queues; the ledger is read again after them, and only versions owed both times count: one whose
 * job ended between the two readings is not owed the second time.
 */
export async function unqueuedDeliveries(
  config: Readonly<Config>,
  ledger: Ledger,
  owed: readonly Owed[],
  stats: readonly QueueStats[],
  queues: QueueSet,
  timeoutMs: number,
): Promise<Attention[]> {
  // A big queue's scan takes seconds (pipelines/sweep.ts): bounded like every probe of `status`,
  // and saying it could not tell rather than nothing.
  return withTimeout(
    owedUnqueued(config, ledger, owed, stats, queues),
    timeoutMs,
    'queues: jobs of each pipeline',
  ).catch((e: unknown) =>
    // The ledger is read again in there: its failure is the ledger's, not Redis's.
    isLedgerError(e)
      ? [ledgerAttention(config, e instanceof Error ? e.message : String(e))]
      : owed.some((p) => Object.values(p.awaitingDelivery).some((n) => n > 0))
        ? [
            {
              kind: 'redis-unreachable' as const,
              message: `queues: could not tell whether signed versions wait for a delivery no job holds (${e instanceof Error ? e.message : String(e)})`,
            },
          ]
        : [],
  );
}

type Owed = { pipeline: string; awaitingDelivery: Readonly<Record<string, number>> };

async function owedUnqueued(
  config: Readonly<Config>,
  ledger: Ledger,
  owed: readonly Owed[],
  stats: readonly QueueStats[],
  queues: QueueSet,
): Promise<Attention[]> {
  const byName = new Map(stats.map((q) => [q.name, q]));
  const holdsOf = async (queue: Queue | undefined, pipeline: string): Promise<boolean> =>
    queue !== undefined && holds(byName.get(queue.name)) && (await queueHoldsPipeline(queue, pipeline));
  const out: Attention[] = [];
  for (const p of owed) {
    const cfg = config.pipelines[p.pipeline];
    if (!cfg || !Object.values(p.awaitingDelivery).some((n) => n > 0)) continue;
    // An extract or sign job of the pipeline still working queues deliver jobs when it is done.
    if (
      (await holdsOf(queues.extract as Queue, p.pipeline)) ||
      (await holdsOf(queues.sign as Queue, p.pipeline))
    )
      continue;
    const idle: [string, number][] = [];
    for (const [target, n] of Object.entries(p.awaitingDelivery)) {
      const q = queues.deliver.get(target) as Queue | undefined;
      if (n > 0 && byName.has(deliverQueueName(target)) && !(await holdsOf(q, p.pipeline)))
        idle.push([target, n]);
    }
    if (idle.length === 0) continue;
    const again = await ledger.pipelineBacklog(p.pipeline, sealIdOf(config, cfg), cfg.targets);
    for (const [target, before] of idle) {
      const n = Math.min(before, again.undelivered[target] ?? 0);
      if (n === 0) continue;
      out.push({
        kind: 'delivery-unqueued',
        message: `pipeline ${p.pipeline}: ${n} signed version(s) owed to ${target} and no job holds them (removed, lost with Redis, or failed before recording a dead letter); \`licbridge run ${p.pipeline}\` queues them again`,
      });
    }
  }
  return out;
}
