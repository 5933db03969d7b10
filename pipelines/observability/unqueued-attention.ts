/**
 * Work the ledger owes that no job holds: versions its seal has not signed, and signed versions
 * without a final delivery. A sign or deliver job can go without its work being done: removed by
 * hand, lost with a Redis that restarted without persistence, or failed for good before it could
 * record its outcome. Owed deliveries stay owed until the pipeline's next scheduled run
 * (pipelines/sweep.ts, `recoverUnqueuedDeliveries`), a `licbridge run` or the daily lifecycle tick
 * queues them again, unsigned versions until a `licbridge run`, the next run's extraction or the tick do;
 * until then this note names them (the run that made them shows `signing` meanwhile).
 */

import type { Queue } from 'bullmq';
import { sealIdOf } from '../../config/seal-id.js';
import type { Config } from '../../config/types.js';
import type { Ledger } from '../../ledger/ledger.js';
import { deliverQueueName, type QueueSet } from '../queues.js';
import {
  deliveryHolders,
  lockedActiveJobs,
  queueHoldsPipeline,
  SWEEP_LIMIT,
  unheldVersionIds,
} from '../sweep.js';
import type { Attention } from './attention.js';
import type { QueueStats } from './queue-stats.js';
import { isLedgerError, ledgerAttention } from './status-ledger.js';
import { withTimeout } from './timeout.js';

const holds = (q: QueueStats | undefined): boolean =>
  q !== undefined && q.waiting + q.prioritized + q.active + q.delayed > 0;

/**
 * One note per pipeline whose versions wait for its seal that no unfinished sign job of the
 * pipeline holds, and per pipeline and target whose signed versions wait for a delivery that no
 * unfinished sign job of the pipeline, nor deliver job of it to that target, holds, while no extract
 * job of the pipeline is queued: the versions its recovery queues again. While an extract job of
 * the pipeline is active (its worker holding its lock), its deliveries are named all the same, as
 * nothing queues them again before that extraction ends; its unsigned versions are not, as it
 * queues them at its end. Queues are
 * shared by the pipelines: another pipeline's jobs do not hide this one's. `stats` are the queues'
 * counts (a queue holding nothing is not scanned for whether it holds a job of the pipeline); `owed`
 * is what the caller read before the queues; the ledger is read again after them, and only versions
 * owed both times count: one whose job ended between the two readings is not owed the second time.
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
  ).catch((e: unknown) => {
    const why = e instanceof Error ? e.message : String(e);
    // The ledger is read again in there: its failure is the ledger's, not Redis's.
    if (isLedgerError(e)) return [ledgerAttention(config, why)];
    const what = [
      owed.some((p) => (p.awaitingSignature ?? 0) > 0) ? 'versions wait for a signature' : undefined,
      owed.some((p) => Object.values(p.awaitingDelivery).some((n) => n > 0))
        ? 'signed versions wait for a delivery'
        : undefined,
    ].filter((w) => w !== undefined);
    return what.length === 0
      ? []
      : [
          {
            kind: 'redis-unreachable' as const,
            message: `queues: could not tell whether ${what.join(', or ')} no job holds (${why})`,
          },
        ];
  });
}

type Owed = {
  pipeline: string;
  /** Absent: only the deliveries are looked at. */
  awaitingSignature?: number;
  awaitingDelivery: Readonly<Record<string, number>>;
  /** The run holding the pipeline's lease when it was read (pipeline-lease.ts `liveHolder`). */
  heldBy?: { runId: string; until: string } | null;
};

/**
 * What queues the versions again: `licbridge run P`, which is refused (exit 4, `PipelineBusy`)
 * while another run holds the pipeline (a `licbridge run` past its extraction, waiting on its jobs
 * or making its light check; one killed on another host until its lease runs out). Told to run it
 * then, an operator was refused and left with nothing to do; the holder and its lease's end say
 * what to wait for.
 */
function runAgain(p: Owed): string {
  const again = `\`licbridge run ${p.pipeline}\` queues them again`;
  if (!p.heldBy) return again;
  return `run ${p.heldBy.runId} holds the pipeline (its lease runs out at ${p.heldBy.until} unless its process renews it), and \`licbridge run ${p.pipeline}\` is refused until it lets go: then ${again}`;
}

const owes = (p: Owed): boolean =>
  (p.awaitingSignature ?? 0) > 0 || Object.values(p.awaitingDelivery).some((n) => n > 0);

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
    if (!cfg || !owes(p)) continue;
    let extracting = false;
    // An extract job of the pipeline queues sign jobs for what is unsigned when it is done, and a
    // scheduled one queues again the deliveries no job holds when it starts. One already extracting
    // has started: it queues no delivery again, and while it holds the pipeline each scheduled tick
    // is skipped without queuing any (workers/skip-scheduled.ts). Left silent, a long extraction,
    // or one hung on its source, hid the deliveries lost meanwhile for as long as it ran.
    const extract = queues.extract as Queue;
    if (await holdsOf(extract, p.pipeline)) {
      if ((await lockedActiveJobs(extract, p.pipeline)).locked === 0) continue;
      extracting = true;
    }
    const sealId = sealIdOf(config, cfg);
    // What the recovery of unsigned versions queues again (a run's extraction at its end, the start
    // of a `licbridge run`, the lifecycle tick; pipelines/sweep.ts): those no unfinished sign job of
    // the pipeline holds. A sign job waiting out a Retry-After holds only its own versions.
    const unsignedRead =
      !extracting && (p.awaitingSignature ?? 0) > 0
        ? await ledger.unsignedVersionIds({ sealId, pipeline: p.pipeline, limit: SWEEP_LIMIT })
        : [];
    const unsignedOpen = await unheldVersionIds(
      [queues.sign as Queue].filter((q) => byName.has(q.name)),
      p.pipeline,
      unsignedRead,
    );
    // What a scheduled run queues again (pipelines/sweep.ts, `recoverUnqueuedDeliveries`): the
    // versions no unfinished sign job of the pipeline, nor deliver job of it to the target, holds.
    // A job holds only its own versions: one delivery waiting out its retry delay, or one sign job
    // a Retry-After, hid every other version lost with its job while that recovery queued them.
    const lost: [string, readonly number[], boolean][] = [];
    for (const [target, n] of Object.entries(p.awaitingDelivery)) {
      const deliver = queues.deliver.get(target) as Queue | undefined;
      if (n === 0 || !byName.has(deliverQueueName(target))) continue;
      const query = { pipeline: p.pipeline, sealId, target, limit: SWEEP_LIMIT };
      const read = await ledger.undeliveredVersionIds(query);
      // Each queue listed is scanned, an empty one too (cheap): its counts were read before, and a
      // sign job ending since may have queued deliveries there.
      const holders = deliveryHolders(queues, deliver).filter((q) => byName.has(q.name));
      const open = await unheldVersionIds(holders, p.pipeline, read);
      if (open.length > 0) lost.push([target, open, read.length === SWEEP_LIMIT]);
    }
    if (lost.length === 0 && unsignedOpen.length === 0) continue;
    // No job holds them: nothing signs them until a sweep queues them. Those whose stored text is
    // corrupt count too (LB_STORED_TEXT), and a sweep only meets it again. Read again after the
    // queues: a version a job signed meanwhile is owed no more.
    const stillUnsigned =
      unsignedOpen.length > 0
        ? new Set(await ledger.unsignedVersionIds({ sealId, pipeline: p.pipeline, limit: SWEEP_LIMIT }))
        : new Set<number>();
    const unsigned = unsignedOpen.filter((id) => stillUnsigned.has(id)).length;
    if (unsigned > 0)
      out.push({
        kind: 'delivery-unqueued',
        message: `pipeline ${p.pipeline}: ${unsignedRead.length === SWEEP_LIMIT ? 'at least ' : ''}${unsigned} version(s) await the signature of seal ${sealId} and no job holds them (removed, lost with Redis, or failed before signing); ${runAgain(p)}; if \`sign backfill\` or \`licbridge quarantine list --reason LB_STORED_TEXT\` names their stored text corrupt, restore it from a backup of the ledger first`,
      });
    for (const [target, open, capped] of lost) {
      // Read again after the queues: a version whose job delivered it meanwhile is owed no more.
      const still = new Set(
        await ledger.undeliveredVersionIds({ pipeline: p.pipeline, sealId, target, limit: SWEEP_LIMIT }),
      );
      const n = open.filter((id) => still.has(id)).length;
      if (n === 0) continue;
      // One sweep's share read: more may be owed past it, which the next sweep takes.
      const count = capped ? `at least ${n}` : `${n}`;
      out.push({
        kind: 'delivery-unqueued',
        message: `pipeline ${p.pipeline}: ${count} signed version(s) owed to ${target} and no job holds them (removed, lost with Redis, or failed before recording a dead letter); ${
          extracting
            ? `an extraction of the pipeline is running and queues none of them, nor does a scheduled run while it runs; once it ends, the next scheduled run or \`licbridge run ${p.pipeline}\` queues them again (if it runs far longer than usual, look at the extract worker and the source)`
            : runAgain(p)
        }`,
      });
    }
  }
  return out;
}
