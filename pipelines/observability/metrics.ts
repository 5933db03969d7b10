import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import { sealIdOf } from '../../config/seal-id.js';
import type { Config } from '../../config/types.js';
import type { Logger } from '../../core/logger.js';
import type { Ledger } from '../../ledger/ledger.js';
import type { QueueSet } from '../queues.js';
import type { LagProbe } from './lag-probe.js';
import { type Snapshot, SnapshotSource } from './ledger-snapshot.js';

export interface MetricsOptions {
  config: Readonly<Config>;
  ledger: Ledger;
  queues: QueueSet;
  logger: Logger;
  /** Measures rows behind each source; absent or off, no lag series is exported. */
  lag?: LagProbe;
}

export interface LicbridgeMetrics {
  readonly registry: Registry;
  /** Records one finished job: seconds it ran, and seconds from enqueue to finish. */
  observeJob(queue: string, outcome: 'completed' | 'failed', runS: number, totalS: number): void;
}

/** Seconds: a deliver batch takes from a few ms to a slow platform's timeout and retries. */
const BUCKETS = [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300];

/**
 * The Prometheus registry of one `licbridge serve`. Counters and gauges are computed in
 * prom-client `collect()` callbacks from a ledger/queue snapshot (see ledger-snapshot.ts), so
 * the workers carry no metrics code and several workers on several hosts add up without a
 * push gateway: the ledger already holds the totals. Latency histograms are fed from BullMQ
 * queue events by job-events.ts. No label ever carries license data: pipelines, targets,
 * queues, seal ids and reason codes only.
 */
export function createMetrics(options: MetricsOptions): LicbridgeMetrics {
  const { config } = options;
  const p = config.metrics.prefix;
  const registry = new Registry();
  if (config.metrics.processMetrics) collectDefaultMetrics({ register: registry, prefix: p });
  const snapshots = new SnapshotSource(config, options.ledger, options.queues, options.logger, options.lag);
  const reg = [registry];

  /**
   * Label sets of the configured pipelines, their targets and their seals. Their counters are
   * exported from 0 before the ledger holds anything of them: Prometheus's `increase()` and `rate()`
   * see no rise in a series first seen at 1, so a new pipeline's first failed run never fired
   * `increase(runs_failed_total[1h]) > 0`, nor did its first rows or attempts show in a rate.
   */
  const pipelines = Object.keys(config.pipelines).map((pipeline) => ({ pipeline }));
  const pipelineTargets = Object.entries(config.pipelines).flatMap(([pipeline, x]) =>
    x.targets.map((target) => ({ pipeline, target })),
  );
  const pipelineSeals = Object.entries(config.pipelines).map(([pipeline, x]) => ({
    pipeline,
    seal: sealIdOf(config, x),
  }));

  /** A counter whose value is read from the snapshot: reset, then set to the ledger's total. */
  const fromSnapshot = <L extends string>(
    name: string,
    help: string,
    labelNames: readonly L[],
    read: (s: Snapshot) => { labels: Record<L, string>; value: number }[],
    zeroes: readonly Record<L, string>[] = [],
  ) =>
    new Counter<L>({
      name: `${p}${name}`,
      help,
      labelNames,
      registers: reg,
      async collect() {
        const values = read(await snapshots.get());
        this.reset();
        for (const labels of zeroes) this.inc(labels, 0);
        for (const v of values) this.inc(v.labels, Math.max(0, v.value));
      },
    });

  const gaugeFromSnapshot = <L extends string>(
    name: string,
    help: string,
    labelNames: readonly L[],
    read: (s: Snapshot) => { labels: Record<L, string>; value: number }[],
    zeroes: readonly Record<L, string>[] = [],
  ) =>
    new Gauge<L>({
      name: `${p}${name}`,
      help,
      labelNames,
      registers: reg,
      async collect() {
        const values = read(await snapshots.get());
        this.reset();
        for (const labels of zeroes) this.set(labels, 0);
        for (const v of values) this.set(v.labels, v.value);
      },
    });

  fromSnapshot(
    'rows_read_total',
    'Source rows read, over all runs.',
    ['pipeline'],
    (s) => s.runTotals.map((t) => ({ labels: { pipeline: t.pipeline }, value: t.read })),
    pipelines,
  );
  fromSnapshot(
    'licenses_created_total',
    'License versions created (new or changed content).',
    ['pipeline'],
    (s) => s.runTotals.map((t) => ({ labels: { pipeline: t.pipeline }, value: t.created })),
    pipelines,
  );
  fromSnapshot(
    'rows_unchanged_total',
    'Rows read whose license content had not changed.',
    ['pipeline'],
    (s) => s.runTotals.map((t) => ({ labels: { pipeline: t.pipeline }, value: t.unchanged })),
    pipelines,
  );
  fromSnapshot(
    'rows_quarantined_total',
    'Quarantined rows read, by reason code (a row with several codes counts once under each; a row read again, again).',
    ['pipeline', 'reason'],
    (s) =>
      s.quarantine.map((q) => ({
        labels: { pipeline: q.pipeline, reason: q.code },
        value: q.count,
      })),
  );
  fromSnapshot(
    'runs_total',
    'Runs started.',
    ['pipeline'],
    (s) => s.runTotals.map((t) => ({ labels: { pipeline: t.pipeline }, value: t.runs })),
    pipelines,
  );
  fromSnapshot(
    'runs_failed_total',
    'Runs that failed or were abandoned, each once.',
    ['pipeline'],
    (s) => s.runTotals.map((t) => ({ labels: { pipeline: t.pipeline }, value: t.failedRuns })),
    pipelines,
  );
  fromSnapshot(
    'signatures_total',
    'License versions signed, by seal.',
    ['pipeline', 'seal'],
    (s) => s.signatures.map((x) => ({ labels: { pipeline: x.pipeline, seal: x.sealId }, value: x.count })),
    pipelineSeals,
  );
  fromSnapshot(
    'delivery_attempts_total',
    'Delivery attempts, per target.',
    ['pipeline', 'target'],
    (s) => sumBy(s, (d) => d.attempts),
    pipelineTargets,
  );
  fromSnapshot(
    'delivery_retries_total',
    'Delivery attempts beyond the first, per target.',
    ['pipeline', 'target'],
    (s) => sumBy(s, (d) => d.retries),
    pipelineTargets,
  );
  gaugeFromSnapshot(
    'deliveries',
    "Deliveries by state: pending, submitted (in review at the platform), accepted, dead, discarded (a dead letter discarded), rejected (a platform's rejection as an earlier licbridge recorded it, a dead letter since migration 049).",
    ['pipeline', 'target', 'state'],
    (s) =>
      s.deliveries.map((d) => ({
        labels: { pipeline: d.pipeline, target: d.target, state: d.state },
        value: d.count,
      })),
  );
  gaugeFromSnapshot(
    'dead_letters',
    'Deliveries dead-lettered and not yet replayed.',
    ['pipeline', 'target'],
    (s) => sumBy(s, (d) => (d.state === 'dead' || d.state === 'rejected' ? d.count : 0)),
    pipelineTargets,
  );
  gaugeFromSnapshot(
    'awaiting_signature',
    'License versions not yet signed by the pipeline’s seal.',
    ['pipeline'],
    (s) => s.awaiting.map((a) => ({ labels: { pipeline: a.pipeline }, value: a.count })),
  );
  gaugeFromSnapshot('last_run_start_seconds', 'Start of the last run, Unix seconds.', ['pipeline'], (s) =>
    s.lastRuns.map((r) => ({ labels: { pipeline: r.pipeline }, value: r.startedAt })),
  );
  gaugeFromSnapshot(
    'last_run_failed',
    '1 when the last run failed or was abandoned (its work not done), as `licbridge status` shows it.',
    ['pipeline'],
    (s) => s.lastRuns.map((r) => ({ labels: { pipeline: r.pipeline }, value: r.failed ? 1 : 0 })),
  );
  gaugeFromSnapshot('queue_jobs', 'Jobs in each queue, by state.', ['queue', 'state'], (s) =>
    (s.queues ?? []).flatMap((q) =>
      (['waiting', 'active', 'delayed', 'failed', 'completed', 'prioritized'] as const).map((state) => ({
        labels: { queue: q.name, state },
        value: q[state],
      })),
    ),
  );
  gaugeFromSnapshot('queue_workers', 'Workers connected to each queue, on every host.', ['queue'], (s) =>
    // No series for a queue whose workers could not be counted: 0 would read as none.
    (s.queues ?? []).flatMap((q) =>
      q.workersUnknown === undefined ? [{ labels: { queue: q.name }, value: q.workers }] : [],
    ),
  );
  gaugeFromSnapshot(
    'attention',
    'States that need a person, by kind (as `licbridge status` lists them; it exits 3 while any is above 0).',
    ['kind'],
    (s) =>
      Object.entries(s.status?.attentionByKind ?? {}).map(([kind, n]) => ({ labels: { kind }, value: n })),
  );
  gaugeFromSnapshot(
    'awaiting_delivery',
    'Signed license versions without an accepted or dead-lettered delivery, per target.',
    ['pipeline', 'target'],
    (s) =>
      (s.status?.pipelines ?? []).flatMap((x) =>
        Object.entries(x.awaitingDelivery).map(([target, n]) => ({
          labels: { pipeline: x.pipeline, target },
          value: n,
        })),
      ),
  );
  gaugeFromSnapshot(
    'seal_certificate_expiry_seconds',
    'When each configured seal certificate expires, Unix seconds (renew 30 days ahead).',
    ['signer'],
    (s) =>
      (s.status?.certificates ?? []).flatMap((c) =>
        c.notAfter ? [{ labels: { signer: c.signer }, value: Date.parse(c.notAfter) / 1000 }] : [],
      ),
  );
  gaugeFromSnapshot(
    'overdue_changes',
    'License versions not accepted by a target within deadlines.backlogWorkingDays working days (rules art. 10).',
    ['pipeline', 'target'],
    (s) =>
      (s.status?.deadlines?.backlog.overdue ?? []).map((o) => ({
        labels: { pipeline: o.pipeline, target: o.target },
        value: o.count,
      })),
  );
  gaugeFromSnapshot(
    'objections',
    'Objections to licenses (rules art. 16): `open`, and `overdue` past deadlines.objectionWorkingDays working days.',
    ['state'],
    (s) =>
      s.status?.deadlines
        ? [
            { labels: { state: 'open' }, value: s.status.deadlines.objections.open },
            { labels: { state: 'overdue' }, value: s.status.deadlines.objections.overdue },
          ]
        : [],
  );
  gaugeFromSnapshot(
    'calendar_year_known',
    '1 when the working calendar holds the current year’s holiday arrangement, 0 when it counts Monday to Friday.',
    [],
    (s) =>
      s.status?.deadlines
        ? [{ labels: {}, value: s.status.deadlines.yearsWithoutArrangement.length === 0 ? 1 : 0 }]
        : [],
  );
  new Counter<'part'>({
    name: `${p}collect_errors_total`,
    help: 'Metric collections that could not read a part (ledger, queues); the last good values were served.',
    labelNames: ['part'],
    registers: reg,
    collect() {
      this.reset();
      for (const [part, n] of snapshots.errors) this.inc({ part }, n);
    },
  });
  if (options.lag) {
    const lag = options.lag;
    new Gauge<'pipeline'>({
      name: `${p}source_lag_rows`,
      help: `Rows in the source after the pipeline's checkpoint, counted up to metrics.lagLimit (${config.metrics.lagLimit}).`,
      labelNames: ['pipeline'],
      registers: reg,
      collect() {
        this.reset();
        for (const [pipeline, rows] of lag.current()) this.set({ pipeline }, rows);
      },
    });
  }

  const labels = ['queue', 'outcome'] as const;
  const run = new Histogram<(typeof labels)[number]>({
    name: `${p}job_run_seconds`,
    help: 'Time a worker spent on a job (processedOn to finishedOn).',
    labelNames: labels,
    buckets: BUCKETS,
    registers: reg,
  });
  const total = new Histogram<(typeof labels)[number]>({
    name: `${p}job_latency_seconds`,
    help: 'Time from enqueue to finish, waiting included.',
    labelNames: labels,
    buckets: BUCKETS,
    registers: reg,
  });

  return {
    registry,
    observeJob(queue, outcome, runS, totalS) {
      run.observe({ queue, outcome }, Math.max(0, runS));
      total.observe({ queue, outcome }, Math.max(0, totalS));
    },
  };
}

function sumBy(s: Snapshot, pick: (d: Snapshot['deliveries'][number]) => number) {
  const out = new Map<string, { labels: { pipeline: string; target: string }; value: number }>();
  for (const d of s.deliveries) {
    const key = `${d.pipeline}\u0000${d.target}`;
    const e = out.get(key) ?? { labels: { pipeline: d.pipeline, target: d.target }, value: 0 };
    e.value += pick(d);
    out.set(key, e);
  }
  return [...out.values()];
}
