import { deliveryTarget } from '../../config/delivery-targets.js';
import { sealIdOf } from '../../config/seal-id.js';
import type { Config } from '../../config/types.js';
import { openSource } from '../../connectors/open-source.js';
import type { Checkpoint } from '../../connectors/source.js';
import type { Ledger } from '../../ledger/ledger.js';
import { collectDeadlines, type DeadlineStatus, deadlineMessages } from '../lifecycle/deadlines.js';
import { REMINDER_STALE_MS, reminderAttention } from '../lifecycle/reminder-list.js';
import type { QueueSet } from '../queues.js';
import { reconcileSettings } from '../reconcile/settings.js';
import { scheduleTimeZone } from '../schedules.js';
import { sealMakerFindings } from '../seal-maker-trust.js';
import {
  ATTENTION_KINDS,
  type Attention,
  type AttentionKind,
  type CertificateStatus,
  certificateAttention,
  formatDuration,
  queueAttention,
  readCertificates,
  scheduleAttention,
} from './attention.js';
import {
  checkGap,
  fullCheckAttention,
  platformGap,
  readCheckHistory,
  sourceShrunk,
  unreadTargetAttention,
} from './check-attention.js';
import { faceTemplateTypes, filesMissingAttention } from './files-attention.js';
import { measureLag, type SourceLag } from './lag.js';
import { quarantineByReason, quarantineShareAttention } from './quarantine-attention.js';
import { nextRun, type QueueStats, queueStats, queuesOf } from './queue-stats.js';
import { extractProbe, runStage } from './run-stage.js';
import { withTimeout } from './timeout.js';
import { tlsAttention } from './tls-attention.js';
import { unqueuedDeliveries } from './unqueued-attention.js';

export interface TargetDeliveryStatus {
  delivered: number;
  pending: number;
  dead: number;
}

/** Where a run is: a run is `done` only once its versions are signed and its deliveries final. */
export type RunStage = 'extracting' | 'signing' | 'delivering' | 'done' | 'failed' | 'abandoned';

export interface PipelineStatus {
  pipeline: string;
  source: string;
  lastRun: null | {
    runId: string;
    mode: string;
    state: string;
    stage: RunStage;
    startedAt: string;
    finishedAt: string | null;
    read: number;
    created: number;
    unchanged: number;
    quarantined: number;
    /** Quarantined rows per reason code, most frequent first. */
    quarantineByReason: Record<string, number>;
    error: string | null;
  };
  checkpoint: Checkpoint | null;
  /** Rows in the source after the checkpoint; null when not measured. */
  lag: SourceLag | { error: string } | null;
  awaitingSignature: number;
  /** Per target: signed versions without a final delivery, whichever run made them. */
  awaitingDelivery: Record<string, number>;
  targets: Record<string, TargetDeliveryStatus>;
  nextRun: { at: string | null; source: 'queue' | 'config' | 'none' };
}

export interface StatusReport {
  generatedAt: string;
  pipelines: PipelineStatus[];
  queues: QueueStats[] | { error: string };
  sources: Record<string, { ok: true } | { ok: false; error: string }>;
  /** Seal certificates named in the config and when they expire. */
  certificates: CertificateStatus[];
  /** What needs a person, one sentence each; empty when all is well. */
  attention: string[];
  /** The same, counted by kind (every kind present). */
  attentionByKind: Record<AttentionKind, number>;
  /** The rules' deadlines (docs/lifecycle.md); absent when the ledger cannot be read. */
  deadlines?: DeadlineStatus;
}

/** How long `status` waits for one source or for Redis by default, ms: a person is waiting for the answer. */
export const PROBE_TIMEOUT_MS = 5000;

export interface StatusOptions {
  /** Open each source to check it answers and measure the lag. @defaultValue true */
  probeSources?: boolean;
  /** Rows counted at most when measuring lag. @defaultValue `metrics.lagLimit` */
  lagLimit?: number;
  /** Time one probe (a source, the queues) may take, ms. @defaultValue {@link PROBE_TIMEOUT_MS} */
  timeoutMs?: number;
  now?: Date;
  /** Judge the deadlines as of this day, `YYYY-MM-DD` in `lifecycle.timeZone`. @defaultValue the day of `now` */
  today?: string;
  /**
   * Rows behind per pipeline as measured elsewhere (the lag probe of `licbridge serve`), used when
   * the sources are not probed here, so a schedule left behind is still noticed.
   */
  knownLag?: ReadonlyMap<string, number>;
  /**
   * Per pipeline, why that measurement last failed (its source could not be read): said as the
   * source being unreachable, as a probe here would.
   */
  knownLagErrors?: ReadonlyMap<string, string>;
  /**
   * License types with a face template, as read from the catalog by a caller that keeps them
   * (`licbridge serve`); read here when absent and a file store is configured.
   */
  faceTypes?: ReadonlySet<string>;
}

/**
 * Everything `licbridge status` shows, read from the ledger (runs, checkpoints, signatures,
 * deliveries, the last check), Redis (queue depths, workers, installed schedules), the configured
 * seal certificates and, unless told not to, the sources themselves (reachable? how many rows
 * behind?). `attention` lists every state that needs a person (attention.ts), one line each.
 * A ledger that cannot be opened is passed as `{ error }`: that is itself such a state.
 */
export async function collectStatus(
  config: Readonly<Config>,
  ledgerOrError: Ledger | { error: string },
  queues: QueueSet | { error: string },
  options: StatusOptions = {},
): Promise<StatusReport> {
  const probe = options.probeSources ?? true;
  const lagLimit = options.lagLimit ?? config.metrics.lagLimit;
  const timeoutMs = options.timeoutMs ?? PROBE_TIMEOUT_MS;
  const now = options.now ?? new Date();
  // The zone `licbridge schedule` installs every cron expression in.
  const zone = scheduleTimeZone(config);
  const reconcileSchedule = reconcileSettings({ config }).schedule;
  const notes: Attention[] = [];
  const sources: StatusReport['sources'] = {};
  const pipelines: PipelineStatus[] = [];
  let deadlines: DeadlineStatus | undefined;

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
        notes.push({
          kind: 'source-unreachable',
          message: `source ${name}: not reachable: ${s.error}; check the database and the \`sources.${name}\` connection`,
        });
      }
      opened.set(name, s);
    }
    return s;
  };

  try {
    if ('error' in ledgerOrError) {
      notes.push({
        kind: 'ledger-unreachable',
        message: `ledger: not reachable: ${ledgerOrError.error}; nothing can run until it is back: check the database behind \`ledger.url\``,
      });
      for (const name of Object.keys(config.pipelines))
        if (probe) await sourceFor(config.pipelines[name]?.source ?? '');
    } else {
      const ledger = ledgerOrError;
      const deliveries = await ledger.deliveryCounts();
      const faceTypes =
        options.faceTypes ??
        (config.licenseFiles?.store === undefined ? undefined : await faceTemplateTypes(config));
      for (const [name, p] of Object.entries(config.pipelines)) {
        const sealId = sealIdOf(config, p);
        const [run, checkpoint, backlog, checks, files] = await Promise.all([
          ledger.lastRun(name),
          ledger.getCheckpoint(name),
          ledger.pipelineBacklog(name, sealId, p.targets),
          readCheckHistory(ledger, name),
          filesMissingAttention(config, ledger, name, p, faceTypes),
        ]);
        // Failed full-check attempts found nothing: the findings are the last stored check's.
        const report = checks.latest;
        const targets: Record<string, TargetDeliveryStatus> = {};
        for (const t of p.targets) targets[t] = { delivered: 0, pending: 0, dead: 0 };
        for (const d of deliveries) {
          if (d.pipeline !== name) continue;
          const t = targets[d.target] ?? { delivered: 0, pending: 0, dead: 0 };
          targets[d.target] = t;
          if (d.state === 'accepted') t.delivered += d.count;
          else if (d.state === 'dead' || d.state === 'rejected') t.dead += d.count;
          else if (d.state !== 'discarded') t.pending += d.count;
        }
        for (const [t, s] of Object.entries(targets)) {
          if (s.dead > 0) {
            notes.push({
              kind: 'dead-letters',
              message: `pipeline ${name}: ${s.dead} dead letter(s) for target ${t}; fix the cause, then replay them`,
            });
          }
        }
        for (const t of p.targets) {
          const target = deliveryTarget(config, t);
          if (!target) continue;
          const alertMs = target.pendingAlertMs;
          for (const o of await ledger.overdueDeliveries(t, new Date(now.getTime() - alertMs))) {
            if (o.pipeline !== name) continue;
            notes.push({
              kind: 'delivery-overdue',
              message: `pipeline ${name}: ${o.count} delivery(ies) to ${t} still open after ${formatDuration(alertMs)} (oldest since ${o.oldest.toISOString()}); keep a \`licbridge worker\` or \`licbridge run\` going and check the platform`,
            });
          }
        }
        const extract =
          'error' in queues || !run ? undefined : extractProbe(queues, timeoutMs, name, run.runId, notes);
        const stage = run ? await runStage(ledger, run, sealId, p.targets, now, extract) : null;
        if (run && stage === 'abandoned') {
          const why = run.owner
            ? 'its process stopped before the work was done'
            : 'its extract job is gone before the extraction was over';
          notes.push({
            kind: 'run-abandoned',
            message: `pipeline ${name}: run ${run.runId} was abandoned: ${why}; \`licbridge run ${name}\` finishes it`,
          });
        } else if (run?.state === 'failed') {
          notes.push({
            kind: 'run-failed',
            message: `pipeline ${name}: last run ${run.runId} failed: ${run.error ?? 'no reason recorded'}; fix the cause, then \`licbridge run ${name}\``,
          });
        }
        // Quarantines by reason code, read only when the run quarantined any.
        const byReason =
          run && run.quarantined > 0 ? quarantineByReason(await ledger.quarantineFor(run.runId)) : {};
        if (run) notes.push(...quarantineShareAttention(name, run, byReason, p.quarantineAlertShare));
        const gap = checkGap(report);
        const shrunk = sourceShrunk(report);
        if (report && shrunk) {
          // Far fewer keys than licenses: an emptied table or view, an export folder read as
          // empty. Said first and on its own, so nobody applies a deletion policy to it blindly.
          notes.push({
            kind: 'source-shrunk',
            message: `pipeline ${name}: source ${p.source} held ${shrunk.sourceKeys} key(s) at the last check (report ${report.reportId}) while the ledger holds ${shrunk.ledgerLicenses} license(s): ${shrunk.deleted} look deleted at the source, above \`reconcile.maxRepairShare\`; check the source (an emptied table or view, a moved export folder) before any repair`,
          });
        } else if (report && gap) {
          notes.push({
            kind: 'check-gap',
            message: `pipeline ${name}: the last check (report ${report.reportId}) found ${gap.missed} missed and ${gap.deleted} deleted-at-source key(s); \`licbridge reconcile ${name}\` names them, \`--repair\` applies the policy`,
          });
        }
        // Platforms are compared by full checks only: the light check after each run asks none, so
        // it says nothing about them, and the last full check's findings still stand — unless the
        // full checks stopped, which is said next to them.
        const full = checks.lastFull;
        const platform = full ? platformGap(full) : undefined;
        if (full && platform) {
          notes.push({
            kind: 'check-platform',
            message: `pipeline ${name}: the last check (report ${full.reportId}) found ${platform} license(s) a platform holds otherwise than the ledger (missing, unknown, another status or content); \`licbridge reconcile ${name}\` names them, \`--repair\` re-delivers what a platform lacks and flags what was changed there`,
          });
        }
        notes.push(...unreadTargetAttention(name, full));
        notes.push(
          ...fullCheckAttention({
            pipeline: name,
            schedule: reconcileSchedule,
            tz: zone,
            history: checks,
            lastRunStart: run?.startedAt ?? null,
            now,
          }),
        );
        notes.push(...files);

        let lag: PipelineStatus['lag'] = null;
        const known = probe ? undefined : options.knownLag?.get(name);
        const unknown = probe ? undefined : options.knownLagErrors?.get(name);
        if (known !== undefined) lag = { rows: known, atLeast: known >= lagLimit };
        else if (unknown !== undefined) {
          lag = { error: unknown };
          if (sources[p.source] === undefined) {
            sources[p.source] = { ok: false, error: unknown };
            notes.push({
              kind: 'source-unreachable',
              message: `source ${p.source}: not reachable: ${unknown}; check the database and the \`sources.${p.source}\` connection`,
            });
          }
        } else if (probe) {
          const source = await sourceFor(p.source);
          if ('error' in source) lag = { error: source.error };
          else {
            try {
              lag = await withTimeout(
                measureLag(source, p.stream, checkpoint, { limit: lagLimit, pageSize: p.pageSize }),
                timeoutMs,
                `source ${p.source}: lag`,
              );
            } catch (e) {
              lag = { error: messageOf(e) };
            }
          }
        }
        notes.push(
          ...scheduleAttention(
            name,
            p.schedule,
            lag && !('error' in lag) ? lag.rows : null,
            run?.startedAt ?? null,
            now,
            zone,
          ),
        );
        pipelines.push({
          pipeline: name,
          source: p.source,
          lastRun: run && {
            runId: run.runId,
            mode: run.mode,
            state: run.state,
            stage: stage ?? 'done',
            startedAt: run.startedAt.toISOString(),
            finishedAt: run.finishedAt?.toISOString() ?? null,
            read: run.read,
            created: run.created,
            unchanged: run.unchanged,
            quarantined: run.quarantined,
            quarantineByReason: byReason,
            error: run.error,
          },
          checkpoint,
          lag,
          awaitingSignature: backlog.unsigned,
          awaitingDelivery: backlog.undelivered,
          targets,
          nextRun:
            'error' in queues
              ? { at: null, source: 'none' }
              : await nextRun(queues, name, p.schedule, now, zone),
        });
      }
      // Dead letters of a pipeline that has left the config are still in the ledger, and replay
      // leaves them dead: a person has to put the pipeline back or discard them.
      const gone = new Map<string, number>();
      for (const d of deliveries) {
        if (Object.hasOwn(config.pipelines, d.pipeline) || (d.state !== 'dead' && d.state !== 'rejected'))
          continue;
        const key = `${d.pipeline}\u0000${d.target}`;
        gone.set(key, (gone.get(key) ?? 0) + d.count);
      }
      for (const [key, n] of gone) {
        const [pipeline, target] = key.split('\u0000');
        notes.push({
          kind: 'dead-letters',
          message: `pipeline ${pipeline} (no longer in the config): ${n} dead letter(s) for target ${target}; put the pipeline back and replay them, or \`licbridge dlq discard\` them`,
        });
      }
      deadlines = await collectDeadlines(config, ledger, {
        now,
        ...(options.today ? { today: options.today } : {}),
      });
      notes.push(...deadlineMessages(deadlines));
      notes.push(
        ...reminderAttention(
          await ledger.reminders.stalePending(new Date(now.getTime() - REMINDER_STALE_MS)),
        ),
      );
    }
  } finally {
    for (const s of opened.values()) if (!('error' in s)) await s.close().catch(() => undefined);
  }

  let queueReport: StatusReport['queues'];
  if ('error' in queues) {
    queueReport = queues;
    notes.push({
      kind: 'redis-unreachable',
      message: `queues: Redis not reachable: ${queues.error}`,
    });
  } else {
    try {
      queueReport = await withTimeout(
        Promise.all(queuesOf(queues).map((q) => queueStats(q))),
        timeoutMs,
        'queues: counts',
      );
      notes.push(...queueAttention(queueReport));
    } catch (e) {
      queueReport = { error: messageOf(e) };
      notes.push({ kind: 'redis-unreachable', message: `queues: ${messageOf(e)}` });
    }
  }
  // Read after the queues: what the ledger owes that no job holds. A ledger failing here was read
  // above, and says so there.
  if (Array.isArray(queueReport) && !('error' in queues) && !('error' in ledgerOrError)) {
    notes.push(
      ...(await unqueuedDeliveries(config, ledgerOrError, pipelines, queueReport, queues, timeoutMs)),
    );
  }
  const certificates = await readCertificates(config);
  notes.push(...certificateAttention(certificates, now));
  // TLS: verification switched off, and CA, client or server certificates near their expiry.
  notes.push(
    ...(await tlsAttention(config, now, { probeServers: probe, timeoutMs: Math.min(timeoutMs, 3000) })),
  );
  // A seal whose maker `verify` does not trust: every file it seals fails verification.
  notes.push(...sealMakerFindings(config).map((f) => ({ kind: 'certificate' as const, message: f.message })));

  const attentionByKind = Object.fromEntries(ATTENTION_KINDS.map((k) => [k, 0])) as Record<
    AttentionKind,
    number
  >;
  for (const n of notes) attentionByKind[n.kind] += 1;
  return {
    generatedAt: now.toISOString(),
    pipelines,
    queues: queueReport,
    sources,
    certificates,
    attention: notes.map((n) => n.message),
    attentionByKind,
    ...(deadlines ? { deadlines } : {}),
  };
}

function messageOf(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
