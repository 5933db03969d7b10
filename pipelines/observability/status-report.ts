import type { Config } from '../../config/types.js';
import { openSource } from '../../connectors/open-source.js';
import type { Checkpoint } from '../../connectors/source.js';
import type { Ledger } from '../../ledger/ledger.js';
import type { QueueSet } from '../queues.js';
import { measureLag, type SourceLag } from './lag.js';
import { nextRun, type QueueStats, queueStats, queuesOf } from './queue-stats.js';
import { withTimeout } from './timeout.js';

export interface TargetDeliveryStatus {
  delivered: number;
  pending: number;
  dead: number;
}

export interface PipelineStatus {
  pipeline: string;
  source: string;
  lastRun: null | {
    runId: string;
    mode: string;
    state: string;
    startedAt: string;
    finishedAt: string | null;
    read: number;
    created: number;
    unchanged: number;
    quarantined: number;
    error: string | null;
  };
  checkpoint: Checkpoint | null;
  /** Rows in the source after the checkpoint; null when not measured. */
  lag: SourceLag | { error: string } | null;
  awaitingSignature: number;
  targets: Record<string, TargetDeliveryStatus>;
  nextRun: { at: string | null; source: 'queue' | 'config' | 'none' };
}

export interface StatusReport {
  generatedAt: string;
  pipelines: PipelineStatus[];
  queues: QueueStats[] | { error: string };
  sources: Record<string, { ok: true } | { ok: false; error: string }>;
  /** What needs a person, one sentence each; empty when all is well. */
  attention: string[];
}

export interface StatusOptions {
  /** Open each source to check it answers and measure the lag. @defaultValue true */
  probeSources?: boolean;
  /** Rows counted at most when measuring lag. @defaultValue 10000 */
  lagLimit?: number;
  /** Time one probe (a source, the queues) may take, ms. @defaultValue 5000 */
  timeoutMs?: number;
  now?: Date;
}

/**
 * Everything `licbridge status` shows, read from the ledger (runs, checkpoints, signatures,
 * deliveries), Redis (queue depths, workers, installed schedules) and, unless told not to, the
 * sources themselves (reachable? how many rows behind?). `attention` lists what needs a person:
 * dead letters, a failed last run, an unreachable source or Redis, jobs waiting with no worker.
 */
export async function collectStatus(
  config: Readonly<Config>,
  ledger: Ledger,
  queues: QueueSet | { error: string },
  options: StatusOptions = {},
): Promise<StatusReport> {
  const probe = options.probeSources ?? true;
  const lagLimit = options.lagLimit ?? 10_000;
  const timeoutMs = options.timeoutMs ?? 5000;
  const attention: string[] = [];

  const deliveries = await ledger.deliveryCounts();
  const sources: StatusReport['sources'] = {};
  const pipelines: PipelineStatus[] = [];

  const opened = new Map<string, Awaited<ReturnType<typeof openSource>> | { error: string }>();
  const sourceFor = async (name: string) => {
    let s = opened.get(name);
    if (!s) {
      const cfg = config.sources[name];
      try {
        if (!cfg) throw new Error(`source \`${name}\` is not configured`);
        const conn = await withTimeout(openSource(name, cfg), timeoutMs, `source ${name}: open`);
        await withTimeout(conn.checkConnection(), timeoutMs, `source ${name}: check`);
        s = conn;
        sources[name] = { ok: true };
      } catch (e) {
        s = { error: messageOf(e) };
        sources[name] = { ok: false, error: s.error };
        attention.push(`source ${name}: not reachable: ${s.error}`);
      }
      opened.set(name, s);
    }
    return s;
  };

  try {
    for (const [name, p] of Object.entries(config.pipelines)) {
      const sealId = config.signers[p.signer]?.sealId ?? p.signer;
      const [run, checkpoint, awaiting] = await Promise.all([
        ledger.lastRun(name),
        ledger.getCheckpoint(name),
        ledger.awaitingSignature(name, sealId),
      ]);
      const targets: Record<string, TargetDeliveryStatus> = {};
      for (const t of p.targets) targets[t] = { delivered: 0, pending: 0, dead: 0 };
      for (const d of deliveries) {
        if (d.pipeline !== name) continue;
        const t = targets[d.target] ?? { delivered: 0, pending: 0, dead: 0 };
        targets[d.target] = t;
        if (d.state === 'accepted') t.delivered += d.count;
        else if (d.state === 'dead' || d.state === 'rejected') t.dead += d.count;
        else t.pending += d.count;
      }
      for (const [t, s] of Object.entries(targets)) {
        if (s.dead > 0) {
          attention.push(
            `pipeline ${name}: ${s.dead} dead letter(s) for target ${t}; fix the cause, then replay them`,
          );
        }
      }
      if (run?.state === 'failed') {
        attention.push(
          `pipeline ${name}: last run ${run.runId} failed: ${run.error ?? 'no reason recorded'}`,
        );
      }

      let lag: PipelineStatus['lag'] = null;
      if (probe) {
        const source = await sourceFor(p.source);
        if ('error' in source) lag = { error: source.error };
        else {
          try {
            lag = await withTimeout(
              measureLag(source, p.stream, checkpoint, { limit: lagLimit, pageSize: p.pageSize ?? 1000 }),
              timeoutMs,
              `source ${p.source}: lag`,
            );
          } catch (e) {
            lag = { error: messageOf(e) };
          }
        }
      }
      pipelines.push({
        pipeline: name,
        source: p.source,
        lastRun: run && {
          runId: run.runId,
          mode: run.mode,
          state: run.state,
          startedAt: run.startedAt.toISOString(),
          finishedAt: run.finishedAt?.toISOString() ?? null,
          read: run.read,
          created: run.created,
          unchanged: run.unchanged,
          quarantined: run.quarantined,
          error: run.error,
        },
        checkpoint,
        lag,
        awaitingSignature: awaiting,
        targets,
        nextRun:
          'error' in queues
            ? { at: null, source: 'none' }
            : await nextRun(queues, name, p.schedule, options.now ?? new Date()),
      });
    }
  } finally {
    for (const s of opened.values()) if (!('error' in s)) await s.close().catch(() => undefined);
  }

  let queueReport: StatusReport['queues'];
  if ('error' in queues) {
    queueReport = queues;
    attention.push(`queues: Redis not reachable: ${queues.error}`);
  } else {
    try {
      queueReport = await withTimeout(
        Promise.all(queuesOf(queues).map((q) => queueStats(q))),
        timeoutMs,
        'queues: counts',
      );
      for (const q of queueReport) {
        // Jobs ready to run that nobody takes: a worker died or was never started. Delayed jobs
        // (retries waiting out their backoff) are left out: after a complete `run` a retry whose
        // work another job already did may sit there harmlessly until a worker next starts.
        const queued = q.waiting + q.prioritized;
        if (queued > 0 && q.workers === 0) {
          attention.push(
            `queue ${q.name}: ${queued} job(s) waiting and no worker connected; start \`licbridge worker\``,
          );
        }
      }
    } catch (e) {
      queueReport = { error: messageOf(e) };
      attention.push(`queues: ${messageOf(e)}`);
    }
  }

  return {
    generatedAt: (options.now ?? new Date()).toISOString(),
    pipelines,
    queues: queueReport,
    sources,
    attention,
  };
}

function messageOf(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
