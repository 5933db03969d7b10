/**
 * The daily lifecycle tick (`licbridge lifecycle run`, and `lifecycle.schedule` through
 * `licbridge schedule`). Per pipeline with derived expiry on, it turns every license still
 * `valid` whose `validTo` lies before today into a new version with operation `expire`; the
 * caller then has those versions signed and delivered like any other (run-tick.ts, tick-job.ts).
 *
 * Safe under crashes and idempotent: each page of expiries is one ledger transaction that selects
 * only licenses still `valid`, so a replay after a crash finds the expired ones gone from its
 * selection; a watermark per pipeline (the last day ticked to the end) makes a second tick on the
 * same day a no-op without touching the licenses at all — except that its caller enqueues again
 * what the ledger owes, so a tick that died after its watermark and before enqueuing is made good
 * by a retry on the same day.
 */
import { randomUUID } from 'node:crypto';
import { crashPoint } from '../../core/crash-point.js';
import { ErrorCodes, LicbridgeError } from '../../core/errors.js';
import { parseIsoDate } from '../../core/local-date.js';
import type { CreatedVersion } from '../../ledger/ledger.js';
import type { DueKey } from '../../ledger/lifecycle.js';
import type { Runtime } from '../runtime.js';
import { type ReminderRunSummary, sendDueReminders } from './reminders.js';
import { lifecycleSettings, lifecycleToday } from './settings.js';

export interface TickOptions {
  /**
   * The day the tick runs as, `YYYY-MM-DD`: its expiries are that day's; its reminders, sent now,
   * are the real today's when the day is past. @defaultValue today in `lifecycle.timeZone`
   */
  today?: string;
  /** Only these pipelines. @defaultValue every pipeline with derived expiry on */
  pipelines?: readonly string[];
  /**
   * Aborted by SIGTERM or SIGINT (`lifecycle run`) or a worker's shutdown: the pipeline whose
   * expiries are being recorded finishes, no further one starts, and the reminders stop as
   * reminders.ts says. Its reason names the signal.
   */
  stop?: AbortSignal;
  /**
   * Told after each page of a pipeline's expiries: the versions it has created so far, and
   * whether that page was its last. Counts only, for a command's progress line.
   */
  onExpired?: (pipeline: string, expired: number, last: boolean) => void;
  /**
   * Called once every pipeline's expiries are recorded (not after a stop), before the reminders:
   * the scheduled job queues what the pipelines owe here, so a reminder step that fails leaves
   * the day's expiries on their way to the platforms all the same.
   */
  onRecorded?: (pipelines: readonly PipelineTick[]) => Promise<void>;
  /**
   * The process driving the tick (`lifecycle run`, `<host> <pid>`): the runs it opens are recorded
   * as `owner`'s, and each run the tick works (opened, resumed, or a `done-today` pipeline's) is
   * added to `runs`, for the caller to beat for (ledger `heartbeatRuns`). A run left `running` by
   * such a process that died (SIGKILL, a crash) is then shown `abandoned` once it is gone
   * (../run-liveness.ts), not under way with nobody driving it. @defaultValue no owner (the
   * scheduled tick: its job carries its runs)
   */
  hold?: { owner: string; runs: string[] };
}

export interface PipelineTick {
  pipeline: string;
  /**
   * The run the tick's versions belong to — for `done-today`, the run that ticked the day, whose
   * versions may still be owed (the process that ticked died before enqueuing them); `null` when
   * derived expiry is off, and for `done-today` while a tick of another day is under way (or died):
   * the watermark then names that tick's run (`owedUnder`), not this tick's.
   */
  runId: string | null;
  /**
   * `done-today` while a tick of another day is under way or died: that tick's run, the one the
   * watermark names. The callers queue what the pipeline owes under it, as they do under `runId`
   * (the jobs are the pipeline's; the run only labels them), but do not hold it nor report its
   * deliveries as this tick's. Without it nothing was queued: the covered day's versions, left by
   * a tick that died after recording that day, waited for a tick of the other day, which may
   * itself have died.
   */
  owedUnder?: string;
  /**
   * `ticked`: worked, and its day is recorded as ticked; `taken-over`: worked (its expiries stand),
   * but another tick took the pipeline's watermark while it did — the next day's past midnight, a
   * second tick of the same day, a past `--today` — and records its own day, not this tick's;
   * `done-today`: the watermark says this day was ticked already; `off`: derived expiry is off.
   */
  outcome: 'ticked' | 'taken-over' | 'done-today' | 'off';
  /** `done-today` only: the day of the tick that covers this one (a later day for a past `--today`). */
  coveredBy?: string;
  /** Versions with operation `expire` created by this tick. */
  expired: number;
  created: CreatedVersion[];
  /**
   * Licenses due that this tick left `valid`, their stored text corrupt (it does not read): each
   * quarantined `LB_STORED_TEXT` in the tick's run. License ids only. Absent for `done-today` and `off`.
   */
  setAside?: string[];
}

export interface TickResult {
  today: string;
  timeZone: string;
  /**
   * The real today when the tick began (`LICBRIDGE_TODAY` when it pins it): `today` differs for a
   * `--today` of another day, whose output then names its day instead of calling it today.
   */
  realToday?: string;
  pipelines: PipelineTick[];
  /** Expiry reminders of the tick (pipelines/lifecycle/reminders.ts): counts only. */
  reminders?: ReminderRunSummary;
  /**
   * The signal the tick was stopped by before its work was complete: pipelines not listed were not
   * ticked, and reminders not sent stay for the next tick, which does both.
   */
  stoppedBy?: string;
}

/**
 * Creates the day's `expire` versions, then sends the day's reminders. Signing and delivery are
 * the caller's: `licbridge lifecycle run` (run-tick.ts) and the scheduled job (tick-job.ts) enqueue
 * what the ticked pipelines owe from the ledger.
 */
export async function lifecycleTick(rt: Runtime, options: TickOptions = {}): Promise<TickResult> {
  const settings = lifecycleSettings(rt.config);
  if (options.today !== undefined && !parseIsoDate(options.today)) {
    throw new LicbridgeError(
      ErrorCodes.USAGE,
      `lifecycle: today: expected a date YYYY-MM-DD, got \`${options.today}\``,
    );
  }
  const names = options.pipelines ?? Object.keys(rt.config.pipelines);
  const ledger = await rt.ledger();
  // By the ledger's clock, as the losses it settles are stamped (ledger/lost-ticks.ts): this
  // host's clock may be minutes off the one of the worker that gave a tick up.
  const startedAt = await ledger.lostTicks.now();
  // The real today by the ledger's clock too, as a page's commit judges whether the day has turned
  // (ledger/commit-page.ts): a host behind at midnight expired nothing of the new day, and a page
  // mapped on the day before and committed after the tick brought an expired license back.
  const realToday = lifecycleToday(rt.config)(startedAt);
  const today = options.today ?? realToday;
  const out: TickResult = { today, timeZone: settings.timeZone, realToday, pipelines: [] };
  /** A tick of a day after the real today (docs/lifecycle.md, `--today` of a later day). */
  const rehearsal = today > realToday;

  // ── Step 1: derived expiry ──────────────────────────────────────────────────────────────────
  for (const pipeline of names) {
    if (options.stop?.aborted) break;
    const config = rt.pipelineConfig(pipeline);
    if (config.expiry === false) {
      out.pipelines.push({ pipeline, runId: null, outcome: 'off', expired: 0, created: [] });
      continue;
    }
    const mark = await ledger.lifecycleWatermark(pipeline);
    // A watermark after the real today was left by a tick of a later day (`lifecycle run --today`,
    // a rehearsal): it covers no real day, or the real ticks until that day would expire nothing
    // read since. Only a day up to the real today counts as ticked — and, for a real tick, only a
    // day a real tick recorded: the rehearsal's day, once it comes, was still taken as ticked, and
    // that day's real tick expired nothing read since the rehearsal. A rehearsal is covered by
    // its own day, whoever recorded it.
    const covered = !mark?.day
      ? false
      : rehearsal
        ? mark.day === today
        : realDayCovered(mark, today, realToday);
    // A tick of this very day under way after the day was recorded (two ticks of the day at once:
    // the second resumed the first's run and began once the first had recorded the day) is taken
    // over below as a tick of this day takes over one it finds under way: it resumes that run and
    // holds it. Both may have died, the first before queuing its versions: `done-today` here
    // reported no run, so nothing of the day was queued, and the run stayed owned by a dead process.
    if (mark && covered && mark.pendingDay !== today) {
      // Nothing to expire, but the callers still enqueue what the pipeline owes: a retry of a
      // tick that died after its watermark is how that day's expiries get signed and delivered.
      // The watermark's run is the one that recorded its day only while no tick is under way: once
      // a tick of another day began, it is that tick's, driven by its own process (or by none, it
      // died, and then shown `abandoned`). Held here, it was beaten for and let go by this process,
      // and reported as the covered day's: it is only the label of what is queued (`owedUnder`).
      const recordedBy = mark.pendingDay === null ? mark.runId : null;
      if (recordedBy) options.hold?.runs.push(recordedBy);
      out.pipelines.push({
        pipeline,
        runId: recordedBy,
        ...(recordedBy === null && mark.runId ? { owedUnder: mark.runId } : {}),
        outcome: 'done-today',
        coveredBy: mark.day as string,
        expired: 0,
        created: [],
      });
      continue;
    }
    // A tick that crashed on this day resumes under its run; a new day opens a new run. A real
    // tick does not resume a rehearsal's: finished under the rehearsal's run, its day would not
    // count as ticked by a real tick (a rehearsal may resume a real tick's, which began that day).
    const runId =
      mark?.pendingDay === today && mark.runId && (rehearsal || !isRehearsalRun(mark.runId))
        ? mark.runId
        : tickRunId(today, rehearsal);
    await ledger.beginLifecycleTick({
      pipeline,
      day: today,
      runId,
      ...(options.hold ? { owner: options.hold.owner } : {}),
    });
    options.hold?.runs.push(runId);
    // A tick of another day that did not finish (it crashed, or still runs past midnight) is taken
    // over: its versions are in the ledger and go out with this tick's (the callers enqueue what the
    // pipeline owes), and its run's extraction is closed so the run can complete. Closed after this
    // tick took the watermark, so its day is not recorded as ticked (finishLifecycleTick moves the
    // watermark only for the tick under way): the tick of a past day (`--today`) does not expire
    // what today's would, and recording today as ticked would have a retry of today's skip it.
    if (mark?.pendingDay && mark.runId && mark.runId !== runId) {
      await ledger.finishLifecycleTick({ pipeline, day: mark.pendingDay, runId: mark.runId, expired: 0 });
    }
    const created: CreatedVersion[] = [];
    const setAside: string[] = [];
    // Licenses whose stored text is corrupt stay in the due range: each page starts after the
    // last license the page before read, or a page of them would be read again and again. A key,
    // not the list of those set aside: bound as parameters, that list failed every page's query
    // once one day set aside more than the database takes (SQLite 32,766, PostgreSQL 65,535), and
    // no license of the pipeline expired again. A license that enters the range behind the key
    // while the tick runs (a run committing it meanwhile) expires with the next day's tick.
    let after: DueKey | undefined;
    for (;;) {
      const page = await ledger.expireDuePage({
        pipeline,
        today,
        runId,
        limit: settings.pageSize,
        ...(after ? { after } : {}),
      });
      created.push(...page.created);
      setAside.push(...page.setAside);
      after = page.next ?? after;
      const last = page.read < settings.pageSize;
      options.onExpired?.(pipeline, created.length, last);
      if (last) break;
    }
    if (setAside.length > 0) {
      // The first ten by name, the rest counted: a day that set thousands aside (a restore gone
      // wrong) wrote them all into one log line. The worklist names them all, the tick's result too.
      const named = setAside.slice(0, 10);
      const more = setAside.length > named.length ? ` and ${setAside.length - named.length} more` : '';
      rt.logger.warn(
        { pipeline, runId, today, code: 'LB_STORED_TEXT', setAside: setAside.length, licenseIds: named },
        `lifecycle: ${setAside.length} license(s) due to expire not expired, their stored text is corrupt (quarantined LB_STORED_TEXT in run ${runId}): ${named.join(', ')}${more}; \`licbridge quarantine list --pipeline ${pipeline} --reason LB_STORED_TEXT\` names them all, \`licbridge verify --license <id>\` shows what the ledger holds of each`,
      );
    }
    // The finish records the day only while this tick still holds the watermark: one that began
    // meanwhile (the next day's, a second tick of this day, a past `--today`) took it over and
    // records its own day. Its answer, not a read of the watermark after it: a later day's tick
    // beginning in between would have a tick that recorded its day report it taken over.
    const recorded =
      (await ledger.finishLifecycleTick({ pipeline, day: today, runId, expired: created.length })) ||
      (await sameDayRecorded(ledger, pipeline, today, runId));
    // A crash from here until the caller enqueued the versions leaves the day ticked and its
    // versions unqueued: a retry on the same day is `done-today` and enqueues them.
    crashPoint('lifecycle-tick-recorded');
    const outcome = recorded ? 'ticked' : 'taken-over';
    out.pipelines.push({ pipeline, runId, outcome, expired: created.length, created, setAside });
    rt.logger.info(
      { pipeline, runId, today, expired: created.length, outcome },
      recorded
        ? 'lifecycle: expiries recorded'
        : 'lifecycle: expiries recorded; day not recorded as ticked, another tick took the watermark over',
    );
  }

  // ── Step 2: expiry reminders (e-license rules, art. 30) ─────────────────────────────────────
  // After the day's expiries are recorded, so a license expired today is reminded of nothing.
  // Every tick, not only the first of a day: a reminder left pending by a crash goes out again.
  // Stopped during the expiries, it sends none: the next tick sends what is due then.
  // A tick of a past day (`--today`, catching up on a lost tick) sends its reminders now, so they
  // are judged on the real day: judged on the past day, a holder whose license ran out yesterday
  // was told it runs out today, and every other was told a day too many left. A later day's
  // rehearsal reminds as of its own day, as it expires.
  // Days `YYYY-MM-DD` order as text: the later of the two.
  const remindOn = [today, realToday].sort()[1] as string;
  if (!options.stop?.aborted) await options.onRecorded?.(out.pipelines);
  if (!options.stop?.aborted) {
    out.reminders = await sendDueReminders(rt, {
      today: remindOn,
      // Midnight may pass during the expiries: the reminders' attempts still follow the clock.
      realDay: remindOn === realToday,
      // Its failed sends store no day: the rehearsed day's real tick tries them all the same.
      ...(rehearsal ? { rehearsal } : {}),
      ...(options.pipelines ? { pipelines: options.pipelines } : {}),
      ...(options.stop ? { stop: options.stop } : {}),
    });
  }
  if (options.stop?.aborted) {
    out.stoppedBy = String(options.stop.reason);
    return out;
  }
  // A whole tick of a real day done: the days lost before it started are made good (lost-ticks.ts).
  // Whole is every pipeline of the config ticked, named by `--pipeline` or not: naming each of
  // them ticks what a run without the option does, and left the lost day a `status` finding.
  const whole = Object.keys(rt.config.pipelines).every((p) => names.includes(p));
  if (whole && today <= realToday) await ledger.lostTicks.settle(startedAt, today);

  return out;
}

/**
 * A tick's run id: `lifecycle-<day>-<uuid>`, or `lifecycle-<day>-rehearsal-<uuid>` for a rehearsal.
 * The watermark keeps the run of the tick that recorded its day, so the run id is how a real tick
 * tells a day a rehearsal recorded (which covers no real day) from one a real tick did.
 */
function tickRunId(day: string, rehearsal: boolean): string {
  return `lifecycle-${day}-${rehearsal ? 'rehearsal-' : ''}${randomUUID()}`;
}

/**
 * Whether watermark `mark` counts `day` as ticked for a real tick on `realToday` (not a rehearsal):
 * a real tick recorded that day, or a later day up to the real today (see lifecycleTick).
 */
export function realDayCovered(
  mark: { day: string | null; pendingDay: string | null; runId: string | null } | null,
  day: string,
  realToday: string,
): boolean {
  if (!mark?.day || rehearsedDay(mark)) return false;
  return mark.day === day || (mark.day > day && mark.day <= realToday);
}

/**
 * Whether a tick of the same day sharing this tick's run recorded the day: two ticks of one day at
 * once (a `lifecycle run` beside the scheduled tick, two workers) share a run, the second resuming
 * the one it found under way, and the one ending first records the day for both. Asked only when
 * this tick's finish recorded nothing, so a later day's tick beginning meanwhile (its own run) still
 * makes this one `taken-over`; without it the second said its day was not recorded as ticked.
 */
async function sameDayRecorded(
  ledger: Awaited<ReturnType<Runtime['ledger']>>,
  pipeline: string,
  day: string,
  runId: string,
): Promise<boolean> {
  const mark = await ledger.lifecycleWatermark(pipeline);
  return mark !== null && mark.day === day && mark.pendingDay === null && mark.runId === runId;
}

function isRehearsalRun(runId: string): boolean {
  return /^lifecycle-\d{4}-\d{2}-\d{2}-rehearsal-/.test(runId);
}

/**
 * Whether the watermark's day may have been recorded by a rehearsal. Its run is the one that
 * recorded the day while no tick is under way; once one began (or died) the run is that tick's,
 * and a tick of an earlier day beginning after the day was recorded means the day was ahead of the
 * real one when recorded: a rehearsal's, or a past `--today` after it. Ticking such a day again
 * is safe (a page selects only licenses still `valid`); taking a rehearsal's day as ticked is not.
 */
function rehearsedDay(mark: {
  day: string | null;
  pendingDay: string | null;
  runId: string | null;
}): boolean {
  if (mark.runId && isRehearsalRun(mark.runId)) return true;
  return mark.pendingDay !== null && mark.day !== null && mark.pendingDay < mark.day;
}
