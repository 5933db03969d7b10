import type { Command } from 'commander';
import { describeCheckpoint } from '../../connectors/key-position.js';
import { ErrorCodes, LicbridgeError } from '../../core/errors.js';
import { DEFAULT_TIME_ZONE, parseIsoDate } from '../../core/local-date.js';
import { terminalJson, terminalLine, terminalSafe } from '../../core/terminal-text.js';
import { zonedTime } from '../../core/zoned-time.js';
import { aheadOfClockText } from '../../pipelines/observability/ahead-of-clock.js';
import { lookStatus } from '../../pipelines/observability/status-look.js';
import type { StatusReport } from '../../pipelines/observability/status-report.js';
import { scheduleTimeZone } from '../../pipelines/schedules.js';
import { commandLogger, loadCommandConfig } from '../context.js';
import { EXIT_ATTENTION } from '../errors.js';
import { absentElementsLine } from '../summary.js';
import { MAX_TIMER_MS } from '../timer-ms.js';

interface StatusFlags {
  json?: boolean;
  sources: boolean;
  lagLimit: string;
  timeout: string;
  today?: string;
}

export function registerStatusCommand(program: Command): void {
  program
    .command('status')
    .description(
      'per pipeline: last run and counts, checkpoint and lag, awaiting signature, deliveries per target, ' +
        'next scheduled run; queue depths and workers. Exits 3 when something needs a person.',
    )
    .option('--json', 'print JSON')
    .option('--no-sources', 'do not connect to the sources (no reachability check, no lag)')
    .option('--lag-limit <n>', 'count at most this many rows behind the checkpoint', '10000')
    .option('--timeout <ms>', 'time each probe (a source, Redis) may take', '5000')
    .option(
      '--today <YYYY-MM-DD>',
      'judge the working-day deadlines (backlog, objections) as of this day (default: today in lifecycle.timeZone)',
      todayOption,
    )
    .option('-c, --config <file>', 'config file')
    .action(async (opts: StatusFlags, cmd: Command) => {
      // Checked before anything is opened: NaN or a negative time reached the probes (a crash in ioredis).
      const lagLimit = wholeNumber('--lag-limit', opts.lagLimit);
      // Every probe's timer: past what a timer holds, each would time out at once (cli/timer-ms.ts).
      const timeoutMs = wholeNumber('--timeout', opts.timeout, MAX_TIMER_MS);
      const config = await loadCommandConfig(cmd);
      const logger = commandLogger(config);
      const report = await lookStatus(config, logger, {
        probeSources: opts.sources,
        lagLimit,
        timeoutMs,
        ...(opts.today ? { today: opts.today } : {}),
      });
      process.stdout.write(
        opts.json ? `${terminalJson(report)}\n` : statusText(report, scheduleTimeZone(config)),
      );
      if (report.attention.length > 0) process.exitCode = EXIT_ATTENTION;
    });
}

function wholeNumber(flag: string, value: string, max = Number.MAX_SAFE_INTEGER): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(n) || n < 1 || n > max)
    throw new LicbridgeError(
      ErrorCodes.USAGE,
      `status: expected \`${flag}\` to be a whole number ≥ 1${max < Number.MAX_SAFE_INTEGER ? ` and at most ${max}` : ''}, got \`${terminalSafe(value)}\``,
    );
  return n;
}

function todayOption(v: string): string {
  if (!parseIsoDate(v))
    throw new LicbridgeError(
      ErrorCodes.USAGE,
      `status: expected \`--today\` as YYYY-MM-DD, got \`${terminalLine(v)}\``,
    );
  return v;
}

/** Stages of a run whose work has not ended: no finish is shown for them. */
const UNFINISHED: ReadonlySet<string> = new Set(['extracting', 'signing', 'delivering', 'in-review']);

/**
 * The report as lines a person reads at a terminal; the next run on the clock of `timeZone`
 * (`lifecycle.timeZone`, the zone every schedule is installed in), as `licbridge schedule` shows it.
 */
export function statusText(report: StatusReport, timeZone: string = DEFAULT_TIME_ZONE): string {
  const out: string[] = [];
  for (const p of report.pipelines) {
    const r = p.lastRun;
    out.push(`pipeline ${p.pipeline}  (source ${p.source})`);
    // `finished` only for a run whose work ended: a run still signing or delivering is not finished.
    out.push(
      r
        ? `  last run: ${r.stage} ${r.mode}, started ${r.startedAt}${r.finishedAt && !UNFINISHED.has(r.stage) ? `, finished ${r.finishedAt}` : ''}`
        : '  last run: never run',
    );
    if (r) {
      out.push(
        `    read ${r.read} = created ${r.created} + unchanged ${r.unchanged} + quarantined ${r.quarantined}`,
      );
      const reasons = Object.entries(r.quarantineByReason ?? {});
      if (reasons.length > 0)
        out.push(`    quarantined by reason: ${reasons.map(([code, n]) => `${code} ${n}`).join(', ')}`);
      if (r.absentElements && r.absentElements.files > 0)
        out.push(`    ${absentElementsLine(r.absentElements)}`);
      if (r.error) out.push(`    error: ${r.error}`);
    }
    out.push(
      `  checkpoint: ${p.checkpoint ? describeCheckpoint(p.checkpoint) : 'none (reads from the start)'}`,
    );
    out.push(`  lag: ${lagText(p.lag)}`);
    // Names and a count only: a waiting row's value may be a holder's time of change.
    if (p.aheadOfClock)
      out.push(
        `  ahead of the clock: ${aheadOfClockText(p.aheadOfClock)} hold a cursor${p.aheadOfClock.cursor === null ? '' : ` \`${p.aheadOfClock.cursor}\``} ahead of the database's clock and wait (counted by run ${p.aheadOfClock.runId})`,
      );
    out.push(`  awaiting signature: ${p.awaitingSignature}`);
    const owed = Object.entries(p.awaitingDelivery).filter(([, n]) => n > 0);
    if (owed.length > 0) out.push(`  awaiting delivery: ${owed.map(([t, n]) => `${t} ${n}`).join(', ')}`);
    for (const [t, s] of Object.entries(p.targets)) {
      out.push(
        `  target ${t}: delivered ${s.delivered}, pending ${s.pending}${s.inReview ? ` (in review at the platform ${s.inReview})` : ''}, dead letters ${s.dead}${s.discarded > 0 ? `, discarded ${s.discarded}` : ''}`,
      );
    }
    out.push(`  next run: ${nextRunText(p.nextRun, 'error' in report.queues, timeZone)}`);
    if (p.heldBy)
      out.push(
        `  held by run ${p.heldBy.runId} since ${p.heldBy.startedAt} (${p.heldBy.holder}; lease until ${p.heldBy.until}): another run of the pipeline is not started`,
      );
    if (p.lastSkipped)
      out.push(
        `  last scheduled run skipped: ${p.lastSkipped.at} (${p.lastSkipped.runId}), run ${p.lastSkipped.heldBy} held the pipeline; ${p.lastSkipped.skips} skipped since the pipeline was last taken`,
      );
  }
  if ('error' in report.queues) out.push(`queues: unavailable: ${report.queues.error}`);
  else {
    // Jobs given a priority wait in BullMQ's `prioritized` set, not in `waiting`; a paused queue's
    // workers take none of them: without both, such a queue read as having nothing to do.
    for (const q of report.queues) {
      out.push(
        `queue ${q.name}: ${q.paused ? 'paused; ' : ''}waiting ${q.waiting}, prioritized ${q.prioritized}, active ${q.active}, delayed ${q.delayed}, failed ${q.failed}, completed ${q.completed}; workers ${q.workersUnknown === undefined ? q.workers : 'unknown'}`,
      );
    }
  }
  const d = report.deadlines;
  if (d) {
    out.push(
      `deadlines (${d.today}, ${d.timeZone}): changes accepted within ${d.backlog.workingDays} working days, ${d.backlog.overdue.length === 0 ? 'none late' : `${d.backlog.overdue.reduce((n, o) => n + o.count, 0)} late`}; objections ${d.objections.open} open, ${d.objections.overdue} past ${d.objections.workingDays} working days`,
    );
    for (const y of d.yearsWithoutArrangement) {
      out.push(
        `  calendar: no holiday arrangement for ${y}; working days count Monday to Friday until it is added under \`calendar.years\` (docs/lifecycle.md)`,
      );
    }
  }
  // Before the verdict: true, worth knowing, and no reason for exit 3.
  if (report.information.length > 0) {
    out.push(`for information (${report.information.length}):`);
    for (const i of report.information) out.push(`  - ${i}`);
  }
  if (report.attention.length === 0) out.push('all well');
  else {
    out.push(`needs attention (${report.attention.length}):`);
    for (const a of report.attention) out.push(`  - ${a}`);
  }
  // Run errors and lag errors carry a source's or platform's words: no escape sequence gets through.
  return terminalSafe(`${out.join('\n')}\n`);
}

/**
 * The next run; one from the config while Redis is down, or while its schedules could not be read,
 * says the installed schedules are unknown.
 */
function nextRunText(
  next: StatusReport['pipelines'][number]['nextRun'],
  redisDown: boolean,
  timeZone: string,
): string {
  if (!next.at) return 'not scheduled';
  const at = zonedTime(next.at, timeZone);
  if (next.source !== 'config') return at;
  if (redisDown)
    return `${at} (from the config; Redis not reachable, so whether the schedule is installed is unknown)`;
  if (next.unread !== undefined)
    return `${at} (from the config; the installed schedules could not be read (${next.unread}), so whether the schedule is installed is unknown)`;
  return `${at} (from the config; no schedule installed)`;
}

function lagText(lag: StatusReport['pipelines'][number]['lag']): string {
  if (lag === null) return 'not measured';
  if ('error' in lag) return `unknown (${lag.error})`;
  return `${lag.atLeast ? 'at least ' : ''}${lag.rows} row(s) after the checkpoint`;
}
