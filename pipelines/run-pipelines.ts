import { randomUUID } from 'node:crypto';
import type { Config } from '../config/types.js';
import { ErrorCodes, LicbridgeError } from '../core/errors.js';
import type { Logger } from '../core/logger.js';
import { createQueues } from './queues.js';
import { reconcilePipeline, reconcileSettings } from './reconcile/reconcile.js';
import { assertRedisReachable, redisOptionsFromUrl } from './redis.js';
import { Runtime } from './runtime.js';
import { sweepRun } from './sweep.js';
import { startWorkers } from './workers.js';

export interface RunSummary {
  pipeline: string;
  runId: string;
  state: 'done' | 'failed';
  read: number;
  created: number;
  unchanged: number;
  quarantined: number;
  signed: number;
  delivered: Record<string, number>;
  deadLettered: Record<string, number>;
  error?: string;
  /** The light check after the run (`reconcile.afterRun: light`), stored in the ledger as `reportId`. */
  check?: RunCheck;
}

/**
 * Source keys against ledger licenses after a run. `differences` is the gap between the two
 * counts: rows that do not map and deletions answered by the policy are part of it; the full
 * check (`licbridge reconcile`) names each. `error` when the check itself failed (the run stands).
 */
export type RunCheck =
  | { reportId: string; sourceKeys: number; ledgerLicenses: number; quarantined: number; differences: number }
  | { error: string };

export interface RunOptions {
  pipelines: readonly string[];
  full: boolean;
  logger: Logger;
  /** Called about once a second while the run works. */
  onProgress?(summaries: readonly RunSummary[]): void;
  /** Give up when nothing has moved for this long, ms. @defaultValue 120000 */
  idleTimeoutMs?: number;
  /**
   * Work the stages with workers in this process. `false`: only enqueue and wait, while
   * `licbridge worker` processes do the work. @defaultValue true
   */
  workInProcess?: boolean;
  /**
   * When nothing has moved for this long and no queue holds a job of the run, re-enqueue what
   * the ledger shows unfinished (work lost with a restarted Redis), ms. @defaultValue 5000
   */
  sweepAfterMs?: number;
}

/**
 * `licbridge run`: enqueues one extract job per pipeline, works every stage to completion with
 * in-process workers (other worker processes may help), and returns what each run did.
 */
export async function runPipelines(config: Readonly<Config>, options: RunOptions): Promise<RunSummary[]> {
  await assertRedisReachable(config.queue.redis, config.queue.connectTimeoutMs);
  const rt = new Runtime(config, options.logger);
  const connection = redisOptionsFromUrl(config.queue.redis);
  const targets = [...new Set(options.pipelines.flatMap((p) => rt.pipelineConfig(p).targets))];
  const queues = createQueues(connection, config.queue.prefix, targets);
  let workers: ReturnType<typeof startWorkers> | undefined;
  try {
    const ledger = await rt.ledger();
    // Open every part first: a bad key, mapping or source fails here, before anything is queued.
    for (const p of options.pipelines) await rt.pipeline(p);
    const failures = new Map<string, string>();
    if (options.workInProcess !== false) {
      workers = startWorkers(rt, { connection, prefix: config.queue.prefix, queues });
      workers.events.on('runFailed', (runId: string, message: string) => failures.set(runId, message));
    }

    const runs = options.pipelines.map((pipeline) => ({ pipeline, runId: randomUUID() }));
    for (const r of runs) {
      await ledger.startRun({
        runId: r.runId,
        pipeline: r.pipeline,
        mode: options.full ? 'full' : 'incremental',
      });
      await queues.extract.add(
        'extract',
        { pipeline: r.pipeline, runId: r.runId, full: options.full },
        { jobId: `extract_${r.runId}` },
      );
    }

    const idleTimeoutMs = options.idleTimeoutMs ?? 120_000;
    const sweepAfterMs = options.sweepAfterMs ?? 5000;
    let lastSweep = Date.now();
    let sweeps = 0;
    let lastChange = Date.now();
    let lastFingerprint = '';
    for (;;) {
      const summaries: RunSummary[] = [];
      let settled = true;
      for (const r of runs) {
        const parts = rt.pipelineConfig(r.pipeline);
        const sealId = config.signers[parts.signer]?.sealId ?? parts.signer;
        const [run, progress] = await Promise.all([
          ledger.getRun(r.runId),
          ledger.runProgress(r.runId, sealId, parts.targets),
        ]);
        if (!run) throw new LicbridgeError(ErrorCodes.LEDGER, `run: run ${r.runId} vanished from the ledger`);
        const failure =
          failures.get(r.runId) ?? (run.state === 'failed' ? (run.error ?? 'failed') : undefined);
        const delivered: Record<string, number> = {};
        const dead: Record<string, number> = {};
        let complete = run.state === 'done' && progress.signed >= progress.created;
        for (const t of parts.targets) {
          delivered[t] = progress.delivered[t] ?? 0;
          dead[t] = progress.dead[t] ?? 0;
          if ((delivered[t] ?? 0) + (dead[t] ?? 0) < progress.created) complete = false;
        }
        if (!complete && !failure) settled = false;
        summaries.push({
          pipeline: r.pipeline,
          runId: r.runId,
          state: failure ? 'failed' : 'done',
          read: run.read,
          created: run.created,
          unchanged: run.unchanged,
          quarantined: run.quarantined,
          signed: progress.signed,
          delivered,
          deadLettered: dead,
          ...(failure ? { error: failure } : {}),
        });
      }
      options.onProgress?.(summaries);
      if (settled) {
        if (reconcileSettings(rt).afterRun === 'light') {
          for (const s of summaries) if (s.state === 'done') s.check = await lightCheck(rt, s.pipeline);
        }
        return summaries;
      }
      const fingerprint = JSON.stringify(summaries);
      if (fingerprint !== lastFingerprint) {
        lastFingerprint = fingerprint;
        lastChange = Date.now();
      } else if (Date.now() - lastChange > sweepAfterMs && Date.now() - lastSweep > sweepAfterMs) {
        lastSweep = Date.now();
        sweeps += 1;
        let added = 0;
        for (const r of runs) added += await sweepRun(rt, queues, r, sweeps);
        if (added > 0) {
          options.logger.warn({ jobs: added }, 'run: re-enqueued work the queue had lost');
          lastChange = Date.now();
        }
      }
      if (Date.now() - lastChange > idleTimeoutMs) {
        throw new LicbridgeError(
          ErrorCodes.INTERNAL,
          `run: nothing moved for ${Math.round(idleTimeoutMs / 1000)} s; see \`licbridge status\` and the worker logs`,
          { retryable: true },
        );
      }
      await new Promise((r) => setTimeout(r, 200));
    }
  } finally {
    // Bounded: after Redis restarted under them, BullMQ's close can wait on jobs Redis no longer
    // knows, and a processor cut off that way may still hold a ledger connection. The ledger
    // already holds every outcome, so stopping hard loses nothing.
    const within = <T>(p: Promise<T> | undefined, ms = 5000) =>
      Promise.race([
        (p ?? Promise.resolve()).then(() => true),
        new Promise<false>((r) => setTimeout(() => r(false), ms).unref()),
      ]);
    if (!(await within(workers?.close()))) {
      options.logger.warn('run: workers did not stop in time; stopping hard');
      await within(workers?.close(true));
    }
    await within(queues.close());
    if (!(await within(rt.close()))) options.logger.warn('run: connections did not close in time');
  }
}

/** The light check of one pipeline; its failure is reported in the summary, never fails the run. */
async function lightCheck(rt: Runtime, pipeline: string): Promise<RunCheck> {
  try {
    const r = await reconcilePipeline(rt, { pipeline, mode: 'light' });
    const sourceKeys = r.counts.source.total;
    const ledgerLicenses = r.counts.ledger.total;
    // Rows in quarantine were read and explained: only what is neither a license nor quarantined is a gap.
    const quarantined = r.counts.source.quarantined;
    return {
      reportId: r.reportId,
      sourceKeys,
      ledgerLicenses,
      quarantined,
      differences: Math.abs(sourceKeys - ledgerLicenses - quarantined),
    };
  } catch (error) {
    rt.logger.warn(
      { pipeline, error: error instanceof Error ? error.message : String(error) },
      'run: light check failed',
    );
    return { error: `light check: ${error instanceof Error ? error.message : String(error)}` };
  }
}
