import { terminalJson, terminalLine } from '../../core/terminal-text.js';
import type { LifecycleRunSummary } from '../../pipelines/lifecycle/run-tick.js';
import { EXIT_ATTENTION } from '../errors.js';
import { Progress } from '../progress.js';
import { signalExitCode } from '../signals.js';

/**
 * `lifecycle run --json`: per pipeline its tick, the ids of the versions it created, and — for a
 * pipeline ticked — `signed`, `delivered`, `dead` and `discarded` per target of that tick's run;
 * for one whose pipeline owed under another tick's run (`owedUnder`), `owedDead` per target.
 */
export function lifecycleRunJson(summary: LifecycleRunSummary): string {
  const pipelines = summary.pipelines.map(({ created, ...p }) => ({
    ...p,
    versionIds: created.map((c) => c.versionId),
    ...(summary.delivery[p.pipeline] ?? {}),
    ...(summary.inReview?.[p.pipeline] ? { inReview: summary.inReview[p.pipeline] } : {}),
    ...(summary.owedDead?.[p.pipeline] ? { owedDead: summary.owedDead[p.pipeline] } : {}),
  }));
  return `${terminalJson(
    {
      today: summary.today,
      timeZone: summary.timeZone,
      pipelines,
      ...(summary.reminders ? { reminders: summary.reminders } : {}),
      ...(summary.stoppedBy === undefined ? {} : { stoppedBy: summary.stoppedBy }),
    },
    2,
  )}\n`;
}

/**
 * The exit code of `lifecycle run`; undefined for 0. Versions of a tick a platform refused for
 * good wait in the dead letters for a person: 3, as `licbridge run` exits (cli/commands/run.ts);
 * so do those dead-lettered under another tick's run while it waited (`owedDead`), and licenses the tick set aside, their stored text corrupt, left `valid` past their last day.
 * A discarded one was a person's decision, and needs nobody. Stopped by a signal: its code (143
 * for SIGTERM, 130 for SIGINT), as `licbridge run` exits.
 */
export function lifecycleRunExitCode(summary: LifecycleRunSummary): number | undefined {
  if (summary.stoppedBy !== undefined) return signalExitCode(summary.stoppedBy);
  const dead = [
    ...Object.values(summary.delivery).map((d) => d.dead),
    ...Object.values(summary.owedDead ?? {}),
  ].some((d) => Object.values(d).some((n) => n > 0));
  const setAside = summary.pipelines.some((p) => (p.setAside?.length ?? 0) > 0);
  return dead || setAside ? EXIT_ATTENTION : undefined;
}

/** `lifecycle run`'s text: a line per pipeline, and one for the reminders when there were any. */
export function lifecycleRunText(summary: LifecycleRunSummary): string {
  const lines = [`lifecycle tick of ${summary.today} (${summary.timeZone})`];
  for (const p of summary.pipelines) {
    const went = outcomes(summary.delivery[p.pipeline]);
    let line: string;
    if (p.outcome === 'off') line = 'derived expiry off';
    else if (p.outcome === 'done-today') {
      // A past `--today` may be covered by a later day's tick: named, not called "today". So is
      // one covered by its own day's tick: today's tick may not have run at all.
      const already =
        p.coveredBy !== undefined && p.coveredBy !== summary.today
          ? `already covered by the tick of ${p.coveredBy}`
          : summary.realToday === undefined || summary.realToday === summary.today
            ? 'already ticked today'
            : `already ticked for ${summary.today}`;
      line = `${already}${went ? ` (that tick's versions: ${went})` : ''}`;
      // Sent under another tick's run (`owedUnder`), counted in no run of this command: said, or
      // the exit code 3 had no line to go with it.
      const owedDead = Object.entries(summary.owedDead?.[p.pipeline] ?? {});
      if (owedDead.length > 0)
        line += `; of what the pipeline owed, dead-lettered ${owedDead.map(([t, n]) => `${terminalLine(t)} ${n}`).join(', ')}`;
    } else {
      line = `expired ${p.expired}${went ? `, ${went}` : ''}`;
      // Its expiries stand, but its day is not recorded as ticked: the tick that took the
      // watermark over records its own day (a later one, or a past `--today`, which leaves this
      // day to be ticked again).
      if (p.outcome === 'taken-over')
        line += ' (day not recorded as ticked: another tick took the watermark over meanwhile)';
      // Left `valid` past their last day until a person restores their text: said, not only logged.
      const aside = p.setAside?.length ?? 0;
      if (aside > 0)
        line += `; ${aside} not expired, ${aside === 1 ? 'its' : 'their'} stored text corrupt (quarantined LB_STORED_TEXT: licbridge quarantine list)`;
    }
    // Sent, and answered `submitted`: the platform's verdict is recorded by a worker or the next run.
    const reviewing = Object.entries(summary.inReview?.[p.pipeline] ?? {});
    if (reviewing.length > 0)
      line += `; still in review: ${reviewing.map(([t, n]) => `${terminalLine(t)} ${n}`).join(', ')}`;
    lines.push(`  ${terminalLine(p.pipeline)}: ${line}`);
  }
  const r = summary.reminders;
  const counted =
    r && [r.due, r.sent, r.skipped, r.dropped, r.failed, r.deferred, r.byOtherTick].some((n) => n > 0);
  if (r && counted) {
    const deferred = r.deferred > 0 ? `, ${r.deferred} failed earlier today (sent again tomorrow)` : '';
    // Claimed first by another tick (reminders.ts): its outcome is in that tick's summary. Unsaid,
    // a tick that waited on one said "0 still pending", or nothing when it had no other reminder.
    const other = r.byOtherTick > 0 ? `, ${r.byOtherTick} left to another tick running at the same time` : '';
    lines.push(
      `  expiry reminders: ${r.sent} sent, ${r.skipped} skipped, ${r.dropped} dropped, ${r.failed} still pending${deferred}${other}`,
    );
  }
  if (summary.stoppedBy !== undefined) {
    const left = r?.stopped?.left ? `; ${r.stopped.left} reminders left pending unsent` : '';
    lines.push(
      `  stopped by ${terminalLine(summary.stoppedBy)} before the tick's work was complete${left}; the next tick expires, sends and reminds what is left`,
    );
  }
  return `${lines.join('\n')}\n`;
}

/**
 * "signed 3, delivered province 1, dead-lettered province 1, discarded province 1": versions that
 * never reached a platform are said, or the counts leave a gap (as `licbridge run`'s summary).
 */
function outcomes(d: LifecycleRunSummary['delivery'][string] | undefined): string {
  if (!d) return '';
  const perTarget = (label: string, counts: Record<string, number>, always: boolean) => {
    const shown = Object.entries(counts).filter(([, n]) => always || n > 0);
    return shown.length === 0
      ? []
      : [`${label} ${shown.map(([t, n]) => `${terminalLine(t)} ${n}`).join(', ')}`];
  };
  return [
    `signed ${d.signed}`,
    ...perTarget('delivered', d.delivered, true),
    ...perTarget('dead-lettered', d.dead, false),
    ...perTarget('discarded', d.discarded, false),
  ].join(', ');
}

/**
 * `lifecycle run`'s progress on stderr (../progress.ts): per pipeline the versions its tick
 * expired so far, then the signatures and deliveries of the ticked runs. Counts only; nothing
 * when a phase ends within the first interval.
 */
export function lifecycleRunProgress(intervalSeconds: number): {
  expired: (pipeline: string, expired: number, last: boolean) => void;
  settling: (done: number, total: number) => void;
  finish: () => void;
} {
  const options = { intervalSeconds, onlyPastInterval: true };
  let expiring: Progress | undefined;
  let settling: Progress | undefined;
  return {
    expired(pipeline, expired, last) {
      expiring ??= new Progress(`lifecycle run: ${terminalLine(pipeline)}: expired`, undefined, options);
      expiring.set(expired);
      if (!last) return;
      expiring.finish();
      expiring = undefined;
    },
    settling(done, total) {
      settling ??= new Progress('lifecycle run: signed and delivered', total, options);
      settling.set(done);
    },
    finish() {
      expiring?.finish();
      settling?.finish();
      expiring = settling = undefined;
    },
  };
}
