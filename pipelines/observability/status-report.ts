import { sealIdOf } from '../../config/seal-id.js';
import type { Config } from '../../config/types.js';
import { openSource } from '../../connectors/open-source.js';
import { failureMessage } from '../../core/errors.js';
import type { Ledger } from '../../ledger/ledger.js';
import { collectDeadlines, type DeadlineStatus, deadlineMessages } from '../lifecycle/deadlines.js';
import { REMINDER_STALE_MS, reminderAttention } from '../lifecycle/reminder-list.js';
import { liveHolder } from '../pipeline-lease.js';
import type { QueueSet } from '../queues.js';
import { reconcileSettings } from '../reconcile/settings.js';
import { scheduleTimeZone } from '../schedules.js';
import { sealMakerFindings } from '../seal-maker-trust.js';
import { unreachedMessage } from '../unreached-message.js';
import { aheadOfClockAttention, aheadOfClockCount } from './ahead-of-clock.js';
import {
  ATTENTION_KINDS,
  type Attention,
  type AttentionKind,
  certificateAttention,
  queueAttention,
  readCertificates,
  scheduleAttention,
} from './attention.js';
import { fullCheckAttention, readCheckHistory, unreadTargetAttention } from './check-attention.js';
import { maskedCheckpoint } from './checkpoint-key.js';
import {
  deadLetterAttention,
  failingChecksAttention,
  overdueAttention,
  removedPipelineAttention,
  targetDeliveries,
} from './delivery-attention.js';
import { heldDuplicateAttention } from './duplicate-attention.js';
import { faceTemplateTypes, filesMissingAttention } from './files-attention.js';
import { platformFindingsAttention, runAttention, sourceFindingsAttention } from './findings-attention.js';
import { measureLag, outsideReadWindow } from './lag.js';
import { objectionUndoneAttention } from './objection-attention.js';
import { quarantineByReason, quarantineShareAttention } from './quarantine-attention.js';
import { nextCronTime, nextRun, queueStats, queuesOf } from './queue-stats.js';
import { extractProbe, runStage } from './run-stage.js';
import { sealAttention } from './seal-attention.js';
import { type LedgerFailure, ledgerFailureAttention } from './status-ledger.js';
import {
  type PipelineStatus,
  PROBE_TIMEOUT_MS,
  type StatusOptions,
  type StatusReport,
} from './status-types.js';
import { lostTickAttention } from './tick-attention.js';
import { withTimeout } from './timeout.js';
import { tlsFindings } from './tls-attention.js';
import { unqueuedDeliveries } from './unqueued-attention.js';

export type {
  PipelineStatus,
  RunStage,
  StatusOptions,
  StatusReport,
  TargetDeliveryStatus,
} from './status-types.js';
export { PROBE_TIMEOUT_MS } from './status-types.js';

/**
 * Everything `licbridge status` shows, read from the ledger (runs, checkpoints, signatures,
 * deliveries, the last check), Redis (queue depths, workers, installed schedules), the configured
 * seal certificates and, unless told not to, the sources themselves (reachable? how many rows
 * behind?). `attention` lists every state that needs a person (attention.ts), one line each;
 * `information` what is true but needs nobody, which the exit code and /metrics leave out.
 * A ledger that cannot be opened is passed as `{ error }`: that is itself such a state.
 */
export async function collectStatus(
  config: Readonly<Config>,
  ledgerOrError: Ledger | LedgerFailure,
  queues: QueueSet | { error: string },
  options: StatusOptions = {},
): Promise<StatusReport> {
  const probe = options.probeSources ?? true;
  const lagLimit = options.lagLimit ?? config.metrics.lagLimit;
  const timeoutMs = options.timeoutMs ?? PROBE_TIMEOUT_MS;
  const now = options.now ?? new Date();
  // The zone `licbridge schedule` installs every cron expression in; status prints its times on it.
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
      let opening: ReturnType<typeof openSource> | undefined;
      try {
        if (!cfg) throw new Error(`source \`${name}\` is not configured`);
        opening = openSource(name, cfg, { timeZone: zone });
        const conn = await withTimeout(opening, timeoutMs, `source ${name}: open`);
        await withTimeout(conn.checkConnection(), timeoutMs, `source ${name}: check`);
        s = conn;
        sources[name] = { ok: true };
      } catch (e) {
        // Given up on: closed once open, as its connections would keep the process running.
        opening?.then((late) => late.close()).catch(() => undefined);
        s = { error: failureMessage(e).message };
        sources[name] = { ok: false, error: s.error };
        const said = unreachedMessage(`source ${name}`, e, s.error);
        const check = said.refusedLogin ? 'check the login in' : 'check the database and';
        notes.push({
          kind: 'source-unreachable',
          message: `${said.text}; ${check} the \`sources.${name}\` connection`,
        });
      }
      opened.set(name, s);
    }
    return s;
  };

  /**
   * Why the lag probe of `licbridge serve` last failed to read the pipeline's source, when it did:
   * said as the source being unreachable, as a probe here would, once per source.
   */
  const knownUnreachable = (pipeline: string, source: string): string | undefined => {
    const lagError = options.knownLagErrors?.get(pipeline);
    if (lagError === undefined) return undefined;
    const error = failureMessage(lagError).message;
    if (sources[source] === undefined) {
      sources[source] = { ok: false, error };
      notes.push({
        kind: 'source-unreachable',
        message: `source ${source}: not reachable: ${error}; check the database and the \`sources.${source}\` connection`,
      });
    }
    return error;
  };

  try {
    if ('error' in ledgerOrError) {
      notes.push(ledgerFailureAttention(config, ledgerOrError));
      for (const [name, p] of Object.entries(config.pipelines))
        if (probe) await sourceFor(p.source);
        else knownUnreachable(name, p.source);
    } else {
      const ledger = ledgerOrError;
      const deliveries = options.deliveryCounts ?? (await ledger.deliveryCounts());
      const faceTypes =
        options.faceTypes ??
        (config.licenseFiles?.store === undefined ? undefined : await faceTemplateTypes(config));
      for (const [name, p] of Object.entries(config.pipelines)) {
        const sealId = sealIdOf(config, p);
        const [run, checkpoint, backlog, checks, files, ahead] = await Promise.all([
          ledger.lastRun(name),
          ledger.getCheckpoint(name),
          ledger.pipelineBacklog(name, sealId, p.targets),
          readCheckHistory(ledger, name),
          filesMissingAttention(config, ledger, name, p, faceTypes, now),
          aheadOfClockCount(ledger, p.source, name),
        ]);
        const targets = targetDeliveries(deliveries, name, p.targets);
        notes.push(...deadLetterAttention(config, name, targets, p.targets));
        notes.push(...(await overdueAttention(config, ledger, name, p.targets, now, zone)));
        notes.push(...(await failingChecksAttention(ledger, name, p.targets, zone)));
        const extract =
          'error' in queues || !run ? undefined : extractProbe(queues, timeoutMs, name, run.runId, notes);
        const stage = run ? await runStage(ledger, run, sealId, p.targets, extract) : null;
        notes.push(...runAttention(name, run, stage));
        // Quarantines by reason code, read only when the run quarantined any and the caller shows them.
        const breakdown = options.quarantineBreakdown ?? true;
        const byReason =
          run && run.quarantined > 0 && breakdown
            ? quarantineByReason(await ledger.quarantineFor(run.runId))
            : {};
        if (run)
          notes.push(
            ...quarantineShareAttention(name, run, breakdown ? byReason : undefined, p.quarantineAlertShare),
          );
        // Failed check attempts found nothing: the findings are the last stored check's, and the
        // platforms' the last full check's (the light check after each run asks none).
        notes.push(...sourceFindingsAttention(name, p.source, checks.latest));
        const full = checks.lastFull;
        notes.push(...platformFindingsAttention(name, full));
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
        notes.push(...aheadOfClockAttention(name, p.source, ahead));

        let lag: PipelineStatus['lag'] = null;
        const known = probe ? undefined : options.knownLag?.get(name);
        const unknown = probe ? undefined : knownUnreachable(name, p.source);
        if (known !== undefined) lag = { rows: known, atLeast: known >= lagLimit };
        else if (unknown !== undefined) lag = { error: unknown };
        else if (probe) {
          const source = await sourceFor(p.source);
          if ('error' in source) lag = { error: source.error };
          // Not measured: outside its read window a source answers a read with no rows.
          else if (outsideReadWindow(config, p.source, now)) lag = null;
          else {
            try {
              lag = await withTimeout(
                measureLag(source, p.stream, checkpoint, { limit: lagLimit, pageSize: p.pageSize }),
                timeoutMs,
                `source ${p.source}: lag`,
              );
            } catch (e) {
              lag = { error: failureMessage(e).message };
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
        // A lease run out, or of a process gone from this host, holds nothing; one whose run has
        // ended holds while its holder keeps it (`licbridge run` until its light check is over).
        const holder = await liveHolder(ledger, name);
        const skipped = await ledger.pipelineLeases.lastSkip(name);
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
            ...(run.absentElements ? { absentElements: run.absentElements } : {}),
            error: run.error,
          },
          // The last row's key, which may be a holder's ID, passport number or name: always masked.
          checkpoint: checkpoint === null ? null : maskedCheckpoint(checkpoint),
          lag,
          ...(ahead ? { aheadOfClock: ahead } : {}),
          awaitingSignature: backlog.unsigned,
          awaitingDelivery: backlog.undelivered,
          targets,
          // Without Redis the installed schedules cannot be read: the config's next tick, never "none".
          nextRun:
            'error' in queues
              ? p.schedule
                ? { at: nextCronTime(p.schedule, now, zone), source: 'config' }
                : { at: null, source: 'none' }
              : await nextRun(queues, name, p.schedule, now, zone, timeoutMs),
          heldBy: holder && {
            runId: holder.runId,
            holder: holder.holder,
            startedAt: holder.startedAt.toISOString(),
            until: holder.until.toISOString(),
          },
          lastSkipped: skipped && { ...skipped, at: skipped.at.toISOString() },
        });
      }
      notes.push(...removedPipelineAttention(config, deliveries));
      deadlines = await collectDeadlines(config, ledger, {
        now,
        ...(options.today ? { today: options.today } : {}),
      });
      notes.push(...deadlineMessages(deadlines));
      notes.push(...(await objectionUndoneAttention(ledger)));
      notes.push(...(await lostTickAttention(ledger)));
      notes.push(...heldDuplicateAttention(await ledger.repairDuplicates.held(), now, zone));
      notes.push(
        ...reminderAttention(
          await ledger.reminders.stalePending(new Date(now.getTime() - REMINDER_STALE_MS)),
          zone,
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
  notes.push(...certificateAttention(certificates, now, zone));
  // TLS: verification switched off, and CA, client or server certificates near their expiry; a
  // CA bundle's members that break nothing, for information.
  const tls = await tlsFindings(config, now, zone, {
    probeServers: probe,
    timeoutMs: Math.min(timeoutMs, 3000),
  });
  notes.push(...tls.attention);
  // A seal whose maker `verify` does not trust: every file it seals fails verification.
  notes.push(...sealMakerFindings(config).map((f) => ({ kind: 'certificate' as const, message: f.message })));
  // A seal past its validity, or not listing its signer's renewed certificate: `sign files` refuses it.
  notes.push(...sealAttention(config, now, zone));

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
    information: tls.information,
    ...(deadlines ? { deadlines } : {}),
  };
}

function messageOf(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
