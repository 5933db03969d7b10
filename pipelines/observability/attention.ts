/**
 * The states that need a person, each as one sentence saying what is wrong and what to do. They
 * are pure judgements over what status-report.ts reads (ledger, queues, sources, certificate
 * files), so `licbridge status` and `/metrics` name the same things the same way.
 */
import { X509Certificate } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { CronExpressionParser } from 'cron-parser';
import { checkCertifiesKey, parseCertificate } from '../../adapters/signers/certificate.js';
import type { LocalSm2SignerConfig } from '../../adapters/signers/local-sm2/config.js';
import { loadSm2PrivateKey } from '../../adapters/signers/local-sm2/keys.js';
import { signerKeyPem } from '../../adapters/signers/local-sm2/seal-keys.js';
import type { Config } from '../../config/types.js';
import { zonedTime } from '../../core/zoned-time.js';
import { LIFECYCLE_QUEUE, RECONCILE_QUEUE } from '../queues.js';
import type { QueueStats } from './queue-stats.js';

export const ATTENTION_KINDS = [
  'queue-unworked',
  'delivery-overdue',
  // Submitted deliveries whose status checks fail, before they become dead letters (delivery-attention.ts).
  'delivery-checks-failing',
  // Signed versions owed to a target while no job holds them (unqueued-attention.ts).
  'delivery-unqueued',
  'dead-letters',
  // Re-deliveries a repair held back as answered duplicates until --resend-duplicates (duplicate-attention.ts).
  'duplicates-held',
  'run-abandoned',
  'run-failed',
  'check-gap',
  // Differences at a platform the last check found (re-delivered by a repair, or flagged).
  'check-platform',
  // A full check whose last attempt failed, or none completed for two ticks of reconcile.schedule
  // (check-attention.ts): the findings above may no longer hold.
  'check-failed',
  'check-stale',
  // Targets the last full check could not ask (check-attention.ts): nothing is known of them.
  'check-unread',
  'source-shrunk',
  'source-unreachable',
  // Rows whose date/time cursor lies ahead of the source database's clock, left by the last read
  // to the stream's end (ahead-of-clock.ts): a placeholder such as 9999-12-31 waits for good.
  'source-ahead-of-clock',
  'ledger-unreachable',
  // A ledger lacking this release's migrations (status and serve never apply them).
  'ledger-unmigrated',
  'redis-unreachable',
  'certificate',
  'schedule-lag',
  'quarantine-share',
  // Stand-in keys of rows without a key that no row of the source gives any more at the last light
  // check (pipelines/reconcile/stand-ins-gone.ts): their entries stay until a person closes them.
  'quarantine-stand-ins',
  // The rules' deadlines (pipelines/lifecycle/deadlines.ts).
  'backlog-overdue',
  'objection-overdue',
  // An upheld objection whose correction a later version took back (objection-attention.ts).
  'objection-undone',
  // Licenses past validTo the daily lifecycle tick has not expired (pipelines/lifecycle/deadlines.ts).
  'expiry-behind',
  // A daily lifecycle tick a worker gave up, until a whole tick started after it has finished
  // (tick-attention.ts).
  'lifecycle-tick-lost',
  // Expiry reminders a gateway has not taken for a day (pipelines/lifecycle/reminder-list.ts).
  'reminders-pending',
  // License versions a pipeline that issues files has none for (files-attention.ts).
  'files-missing',
] as const;
export type AttentionKind = (typeof ATTENTION_KINDS)[number];

export interface Attention {
  kind: AttentionKind;
  message: string;
}

/** The seal rules ask for a certificate's renewal this long before it expires. */
export const RENEW_AHEAD_MS = 30 * 24 * 3600 * 1000;

/** When a signer's configured seal certificate is valid; `error` when it cannot be read. */
export interface CertificateStatus {
  signer: string;
  /** When its validity begins: a renewed certificate may be issued to start later. */
  notBefore: string | null;
  notAfter: string | null;
  error?: string;
  /**
   * Why the signer refuses to open with it though it reads: it certifies another key than the
   * signer's (a local-sm2 signer's key as status can read it; a remote signer's is its server's).
   */
  keyProblem?: string;
}

export async function readCertificates(config: Readonly<Config>): Promise<CertificateStatus[]> {
  const out: CertificateStatus[] = [];
  for (const [signer, cfg] of Object.entries(config.signers)) {
    const file = (cfg as { certificate?: string }).certificate;
    if (!file) continue;
    try {
      const pem = await readFile(file);
      const cert = new X509Certificate(pem);
      const keyProblem =
        cfg.kind === 'local-sm2' ? certifiesOtherKey(signer, cfg, pem.toString('utf8')) : undefined;
      out.push({
        signer,
        notBefore: new Date(cert.validFrom).toISOString(),
        notAfter: new Date(cert.validTo).toISOString(),
        ...(keyProblem ? { keyProblem } : {}),
      });
    } catch (e) {
      // The file's path and contents stay out of the message: only what went wrong.
      out.push({
        signer,
        notBefore: null,
        notAfter: null,
        error: e instanceof Error ? e.message : String(e),
      });
    }
  }
  return out;
}

/**
 * The signer's own check that its certificate certifies its key (checkCertifiesKey, as it opens),
 * its message when not. A key this process cannot read (another host's, a passphrase not in its
 * environment) is left to the signer: status judges the certificate, not where the key is kept.
 */
function certifiesOtherKey(signer: string, cfg: LocalSm2SignerConfig, pem: string): string | undefined {
  let publicKeyPem: string;
  try {
    publicKeyPem = loadSm2PrivateKey(signer, signerKeyPem(signer, cfg), cfg.passphrase).publicKeyPem;
  } catch {
    return undefined;
  }
  try {
    checkCertifiesKey(
      signer,
      parseCertificate(signer, pem, 'the seal certificate'),
      publicKeyPem,
      'the seal certificate',
    );
    return undefined;
  } catch (e) {
    return e instanceof Error ? e.message : String(e);
  }
}

/**
 * A line per signer certificate that cannot be read, certifies another key, is not valid yet, or
 * has expired or expires within 30 days. Its dates are on the clock of `tz` (`lifecycle.timeZone`),
 * with the offset: in UTC a certificate ending at 04:30 in Beijing read as ending the day before.
 */
export function certificateAttention(
  certs: readonly CertificateStatus[],
  now: Date,
  tz: string,
): Attention[] {
  const at = (iso: string) => zonedTime(iso, tz);
  const out: Attention[] = [];
  for (const c of certs) {
    if (c.error || !c.notAfter) {
      out.push({
        kind: 'certificate',
        message: `signer ${c.signer}: the seal certificate cannot be read (${c.error ?? 'no expiry'}); check the \`certificate\` file in the config`,
      });
      continue;
    }
    if (c.keyProblem) {
      out.push({
        kind: 'certificate',
        message: `${c.keyProblem}; the signer refuses to open with it, so nothing is signed or delivered: install the certificate issued for this key (licbridge seal install) or point keyFile at the key it certifies`,
      });
      continue;
    }
    // Every signer refuses to open with it before then (adapters/signers/certificate.ts).
    if (c.notBefore && Date.parse(c.notBefore) > now.getTime()) {
      out.push({
        kind: 'certificate',
        message: `signer ${c.signer}: the seal certificate is valid only from ${at(c.notBefore)}; the signer refuses to sign before then, so nothing is signed or delivered: configure the certificate in force now, and this one from ${at(c.notBefore)} on`,
      });
      continue;
    }
    const left = Date.parse(c.notAfter) - now.getTime();
    if (left <= 0) {
      out.push({
        kind: 'certificate',
        message: `signer ${c.signer}: the seal certificate expired on ${at(c.notAfter)}; signatures made now do not verify against a valid certificate: install the renewed certificate and key, then \`licbridge sign resign\` what was signed since`,
      });
    } else if (left <= RENEW_AHEAD_MS) {
      const days = Math.ceil(left / (24 * 3600 * 1000));
      out.push({
        kind: 'certificate',
        message: `signer ${c.signer}: the seal certificate expires on ${at(c.notAfter)} (in ${days} day(s)); the seal rules ask for renewal 30 days ahead: request the new certificate now`,
      });
    }
  }
  return out;
}

/** Queues only `licbridge worker` takes jobs from: scheduled full checks and lifecycle ticks. */
const WORKER_ONLY = new Set([RECONCILE_QUEUE, LIFECYCLE_QUEUE]);

/**
 * Jobs a queue holds that nobody will work: the queue is paused (workers take nothing from it, and
 * `licbridge run` waits on it until it gives up), or no worker is connected to it, on any host, or
 * the workers could not be counted.
 */
export function queueAttention(stats: readonly QueueStats[]): Attention[] {
  const out: Attention[] = [];
  for (const q of stats) {
    const held: [string, number][] = [
      ['waiting', q.waiting + q.prioritized],
      ['active', q.active],
      ['delayed', q.delayed],
    ];
    const parts = held.filter(([, n]) => n > 0).map(([s, n]) => `${n} ${s}`);
    if (q.paused) {
      out.push({
        kind: 'queue-unworked',
        message: `queue ${q.name}: paused${parts.length > 0 ? ` with ${parts.join(', ')} job(s)` : ''}; no worker takes its jobs until it is resumed (Resume on the dashboard)`,
      });
      continue;
    }
    if (q.workers > 0 || parts.length === 0) continue;
    if (q.workersUnknown !== undefined) {
      out.push({
        kind: 'queue-unworked',
        message: `queue ${q.name}: ${parts.join(', ')} job(s), and whether a live worker takes them is unknown: Redis did not list its clients (${q.workersUnknown}); grant the Redis user licbridge connects as the CLIENT command`,
      });
      continue;
    }
    out.push({
      kind: 'queue-unworked',
      message: WORKER_ONLY.has(q.name)
        ? `queue ${q.name}: ${parts.join(', ')} job(s) and no live worker; start \`licbridge worker\` (\`licbridge run\` works only its pipelines' extract, sign and deliver queues)`
        : `queue ${q.name}: ${parts.join(', ')} job(s) and no live worker; start \`licbridge worker\` (or \`licbridge run\`, which also finishes what a dead run left)`,
    });
  }
  return out;
}

/**
 * The last time a cron expression fired at or before `now`, or null when it does not parse. `tz` is
 * the zone the schedule is installed in (`scheduleTimeZone`, pipelines/schedules.ts); without it the
 * host's zone would judge a schedule BullMQ times elsewhere.
 */
export function previousCronTime(cron: string, now: Date, tz?: string): Date | null {
  try {
    return CronExpressionParser.parse(cron, { currentDate: now, ...(tz ? { tz } : {}) })
      .prev()
      .toDate();
  } catch {
    return null;
  }
}

/** How long after a scheduled tick its run may take to start before the pipeline counts as behind. */
export const SCHEDULE_GRACE_MS = 60_000;

/**
 * A scheduled pipeline is behind when rows wait after its checkpoint and no run has started since
 * a tick that is more than a minute past: the schedule is not being worked. With the rows behind
 * not measured (`--no-sources`, outside a read window, a source down), when no run has started
 * since the tick before that one: every tick starts a run, so two missed ones mean a schedule
 * stopped (gone with Redis, no worker taking extract jobs).
 */
export function scheduleAttention(
  pipeline: string,
  schedule: string | undefined,
  rowsBehind: number | null,
  lastRunStart: Date | null,
  now: Date,
  tz?: string,
): Attention[] {
  if (!schedule || rowsBehind === 0) return [];
  // On the clock the schedule is read on, as `licbridge schedule` prints it: in UTC ISO a 02:00
  // tick in Beijing read as 18:00 the day before, a schedule seemingly installed in the wrong zone.
  const zone = tz ?? Intl.DateTimeFormat().resolvedOptions().timeZone;
  const at = (d: Date) => zonedTime(d.toISOString(), zone);
  const tick = previousCronTime(schedule, new Date(now.getTime() - SCHEDULE_GRACE_MS), tz);
  const ran = (since: Date) => lastRunStart !== null && lastRunStart.getTime() >= since.getTime();
  if (!tick || ran(tick)) return [];
  if (rowsBehind === null) {
    const before = previousCronTime(schedule, new Date(tick.getTime() - 1), tz);
    if (!before || ran(before)) return [];
    return [
      {
        kind: 'schedule-lag',
        message: `pipeline ${pipeline}: no run started since the scheduled times ${at(before)} and ${at(tick)} (rows behind not measured); check that \`licbridge schedule\` installed the schedule and a \`licbridge worker\` runs`,
      },
    ];
  }
  return [
    {
      kind: 'schedule-lag',
      message: `pipeline ${pipeline}: ${rowsBehind} row(s) wait after the checkpoint and no run started since the scheduled time ${at(tick)}; check that \`licbridge schedule\` installed the schedule and a \`licbridge worker\` runs`,
    },
  ];
}

export function formatDuration(ms: number): string {
  if (ms % 86_400_000 === 0) return `${ms / 86_400_000} d`;
  if (ms % 3_600_000 === 0) return `${ms / 3_600_000} h`;
  if (ms % 60_000 === 0) return `${ms / 60_000} min`;
  return `${Math.round(ms / 1000)} s`;
}
