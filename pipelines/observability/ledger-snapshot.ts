import { sealIdOf } from '../../config/seal-id.js';
import type { Config } from '../../config/types.js';
import type { Logger } from '../../core/logger.js';
import { within } from '../../core/within.js';
import type { Ledger, StoredRun } from '../../ledger/ledger.js';
import { isPendingMigrationsError } from '../../ledger/pending-migrations.js';
import type { QuarantineReasonCount } from '../../ledger/quarantine-reason-counts.js';
import type { DeliveryCount, RunTotals, SignatureCount } from '../../ledger/status-queries.js';
import type { QueueSet } from '../queues.js';
import { runOwnerAlive } from '../run-liveness.js';
import { faceTemplateTypes } from './files-attention.js';
import type { LagProbe } from './lag-probe.js';
import { type QueueStats, queueStats, queuesOf } from './queue-stats.js';
import type { LedgerFailure } from './status-ledger.js';
import { collectStatus, type StatusOptions, type StatusReport } from './status-report.js';
import { withTimeout } from './timeout.js';

/** One consistent reading of the ledger and the queues, shared by every metric of a scrape. */
export interface Snapshot {
  runTotals: RunTotals[];
  /** `failed`: the last run failed or was abandoned (as `licbridge status` shows it): its work is undone. */
  lastRuns: { pipeline: string; startedAt: number; failed: boolean }[];
  signatures: SignatureCount[];
  awaiting: { pipeline: string; count: number }[];
  deliveries: DeliveryCount[];
  /** Cumulative since the ledger began: quarantined rows by pipeline and reason code. */
  quarantine: QuarantineReasonCount[];
  queues: QueueStats[] | null;
  /** What `licbridge status` would say (sources not probed: the lag probe measures them). */
  status: StatusReport | null;
}

/**
 * Reads the ledger and Redis at most once per `cacheMs`, however many metrics and scrapers ask:
 * the counts are computed off the hot path, from what the workers already wrote, so serving
 * metrics never slows a pipeline. Quarantined rows by reason are counted as pages commit
 * (ledger/quarantine-reason-counts.ts), and deliveries, signatures and versions as their rows
 * change (ledger/status-counts.ts): a scrape reads those totals, not every record and delivery.
 */
export class SnapshotSource {
  readonly #config: Readonly<Config>;
  readonly #ledger: Ledger;
  readonly #queues: QueueSet;
  readonly #log: Logger;
  #current: Promise<Snapshot> | undefined;
  #reading = false;
  #takenAt = 0;
  /** Parts that failed on the last reading, for the `collect_errors_total` counter. */
  readonly errors = new Map<string, number>();

  readonly #lag: LagProbe | undefined;
  /**
   * License types with a face template, read from the catalog once it loads (compiling it takes a
   * tenth of a second and more per type: not on every scrape). Like the config, read at start.
   */
  #faceTypes: ReadonlySet<string> | undefined;

  constructor(config: Readonly<Config>, ledger: Ledger, queues: QueueSet, log: Logger, lag?: LagProbe) {
    this.#config = config;
    this.#ledger = ledger;
    this.#queues = queues;
    this.#log = log;
    this.#lag = lag;
  }

  get(): Promise<Snapshot> {
    const fresh = Date.now() - this.#takenAt < this.#config.metrics.cacheMs;
    // A reading under way is shared, whatever its age: every metric of a scrape asks, and scrapes
    // overlap (two Prometheus servers, cacheMs 0).
    if (!this.#current || (!fresh && !this.#reading)) {
      this.#takenAt = Date.now();
      const previous = this.#current;
      this.#reading = true;
      const reading = this.#read();
      // Cleared when the reading itself ends, not when a scrape stopped waiting for it.
      void reading.then(
        () => {
          this.#reading = false;
        },
        () => {
          this.#reading = false;
        },
      );
      this.#current = this.#unlessLedgerDown(reading).catch(async (e: unknown) => {
        const error = e instanceof Error ? e.message : String(e);
        this.#count('ledger');
        this.#log.warn({ err: { message: error } }, 'metrics: ledger read failed');
        this.#takenAt = 0;
        // Keep serving the last good counts rather than dropping every series, but never the last
        // good verdict: the ledger being down is itself a state that needs a person, as
        // `licbridge status` says, so `attention` must not go on reading 0.
        return {
          ...(previous ? await previous : emptySnapshot()),
          status: await this.#statusWithout({ error, unmigrated: isPendingMigrationsError(e) }),
        };
      });
    }
    return this.#current;
  }

  /**
   * The reading, unless the ledger is down. A ledger read rides out an outage for the ledger's
   * retry budget (two minutes by default), so while the database was away every scrape waited that
   * long, a scraper gave up first (its timeout is seconds), and `attention` never said
   * `ledger-unreachable`: the alert on it stayed silent. A reading not done within
   * `serve.checkTimeoutMs` is therefore followed by the readiness check's read of the ledger, with
   * that time: no answer fails the reading as the ledger's, and the reading goes on in the
   * background (the next one starts once it ends); an answer means a slow ledger, waited for.
   */
  async #unlessLedgerDown(reading: Promise<Snapshot>): Promise<Snapshot> {
    const ms = this.#config.serve.checkTimeoutMs;
    if (!(await within(reading, ms)))
      await withTimeout(this.#ledger.getCheckpoint('__readyz__'), ms, 'ledger');
    return reading;
  }

  async #read(): Promise<Snapshot> {
    const ledger = this.#ledger;
    const pipelines = Object.entries(this.#config.pipelines);
    const [runTotals, signatures, deliveries, quarantine, lastRuns] = await Promise.all([
      ledger.runTotals(),
      ledger.signatureCounts(),
      ledger.deliveryCounts(),
      ledger.quarantineReasonTotals(),
      Promise.all(pipelines.map(([name]) => ledger.lastRun(name))),
    ]);
    let queues: QueueStats[] | null = null;
    let queueSet: QueueSet | { error: string } = this.#queues;
    try {
      // Bounded: queue commands wait for Redis to come back, so a scrape while Redis is down would
      // hang (and a scraper that gets no answer sees no `attention` series at all).
      queues = await withTimeout(
        Promise.all(queuesOf(this.#queues).map((q) => queueStats(q))),
        this.#config.serve.checkTimeoutMs,
        'queues: counts',
      );
    } catch (e) {
      const error = e instanceof Error ? e.message : String(e);
      this.#count('queues');
      this.#log.warn({ err: { message: error } }, 'metrics: queue counts failed');
      // The status then notes Redis as unreachable and asks it nothing more.
      queueSet = { error: `Redis not answering: ${error}` };
    }
    if (this.#config.licenseFiles?.store !== undefined)
      this.#faceTypes ??= await faceTemplateTypes(this.#config);
    let status: StatusReport | null = null;
    try {
      // The deliveries just read (kept counts, ledger/status-counts.ts), not read again.
      status = await collectStatus(this.#config, this.#ledger, queueSet, {
        ...this.#statusOptions(),
        deliveryCounts: deliveries,
      });
    } catch (e) {
      // A ledger that fails between the counts and the status: said as unreachable, not left out.
      const error = e instanceof Error ? e.message : String(e);
      this.#count('status');
      this.#log.warn({ err: { message: error } }, 'metrics: status not read');
      status = await this.#statusWithout({ error, unmigrated: isPendingMigrationsError(e) });
    }
    // The status counted each pipeline's versions awaiting a signature (its backlog); asked again
    // only when it could not be read, as the other counts were.
    const shown = (name: string) => status?.pipelines.find((p) => p.pipeline === name)?.awaitingSignature;
    const awaiting = await Promise.all(
      pipelines.map(([name, p]) => shown(name) ?? ledger.awaitingSignature(name, sealIdOf(this.#config, p))),
    );
    return {
      status,
      runTotals,
      signatures,
      deliveries,
      quarantine,
      lastRuns: lastRuns.flatMap((r) =>
        r
          ? [{ pipeline: r.pipeline, startedAt: r.startedAt.getTime() / 1000, failed: undone(r, status) }]
          : [],
      ),
      awaiting: pipelines.map(([name], i) => ({ pipeline: name, count: awaiting[i] ?? 0 })),
      queues,
    };
  }

  /** What `licbridge status` says while the ledger cannot be read; null if even that fails. */
  async #statusWithout(ledger: LedgerFailure): Promise<StatusReport | null> {
    try {
      return await collectStatus(this.#config, ledger, this.#queues, this.#statusOptions());
    } catch {
      return null;
    }
  }

  /**
   * Sources are not probed in a scrape: the lag probe's last measurement stands in, so a schedule
   * left behind counts under `attention` as in `licbridge status`. Redis gets the readiness checks' time.
   */
  #statusOptions(): StatusOptions & { probeSources: false } {
    return {
      probeSources: false,
      // Only the count of each kind of attention is exported: a run's quarantine records are not
      // read on every scrape for a breakdown no metric shows.
      quarantineBreakdown: false,
      timeoutMs: this.#config.serve.checkTimeoutMs,
      ...(this.#lag ? { knownLag: this.#lag.current(), knownLagErrors: this.#lag.failures() } : {}),
      ...(this.#faceTypes ? { faceTypes: this.#faceTypes } : {}),
    };
  }

  #count(part: string): void {
    this.errors.set(part, (this.errors.get(part) ?? 0) + 1);
  }
}

/**
 * Whether a pipeline's last run ended without its work done: `failed`, or `abandoned` — ended so, or
 * still `running` with its process gone or its extract job lost, as `licbridge status` shows it
 * until the next run marks it. One alert rule (`last_run_failed == 1`) then catches both.
 */
function undone(run: StoredRun, status: StatusReport | null): boolean {
  const shown = status?.pipelines.find((p) => p.pipeline === run.pipeline)?.lastRun;
  const stage = shown?.runId === run.runId ? shown.stage : run.state;
  if (stage === 'failed' || stage === 'abandoned') return true;
  // No status to tell (it failed to read): the process table and the heartbeat still can.
  return stage === 'running' && !runOwnerAlive(run);
}

function emptySnapshot(): Snapshot {
  return {
    runTotals: [],
    lastRuns: [],
    signatures: [],
    awaiting: [],
    deliveries: [],
    quarantine: [],
    queues: null,
    status: null,
  };
}
