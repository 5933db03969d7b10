/**
 * Expiry reminders (e-license rules art. 30: the issuing unit reminds holders before a license
 * expires), step 2 of the daily tick. Per license type, `lifecycle.reminders` names thresholds in
 * days before `validTo` and the `notify` target that sends them.
 *
 * Exactly once per (license, validTo, threshold), across repeated ticks, crashes and new versions
 * (a suspension and a resume: the reminder due again keeps its first key, ledger/reminder-open.ts):
 * 1. reminders left `pending` by an earlier tick (it died, or the gateway did not answer) are
 *    sent again first, under the same idempotency key — a gateway that got one before the crash
 *    replays its first answer and sends nothing. One whose threshold a smaller one has replaced
 *    since (a 30-day reminder pending through an outage, and 5 days left now) is closed as
 *    `dropped`/`superseded` instead, recorded and audited before anything is sent: step 2 then
 *    writes and sends the current threshold's reminder. A re-sent reminder says the days left on
 *    the day it goes out, not those of the day it was written;
 * 2. for each license due a reminder today, a `pending` row is written BEFORE its message goes
 *    out, and marked `sent` (with a `remind` audit entry) after the gateway answered.
 * Two ticks running at once (a stalled tick handed off, or queued again) read the same rows: each
 * reminder is claimed before it is sent or dropped (ledger/reminder-claims.ts), so one tick sends
 * it and the other waits for its outcome, or for the claim to run out if the tick holding it died;
 * a failed send counts for the waiting tick too, which leaves the reminder to the next tick. The
 * waiting tick's summary counts such a reminder in `byOtherTick`, whatever the other tick made of
 * it: its outcome, failed or sent, is the other tick's to count.
 * A license gets the reminder of the smallest threshold it has reached, once per `validTo` (a new
 * version with the same `validTo` is not reminded again), and none of the larger ones it passed
 * while no tick ran — a holder 5 days from expiry hears "5 days", not "90" and "30" and "7" at once.
 *
 * Contacts are read from the ledger here and go to the gateway only: this process never puts
 * them in a job, a log line, an error or a summary.
 */

import type { ReminderOutcome, StoredReminder } from '../../ledger/reminders.js';
import { compileMapping } from '../../mappings/compile.js';
import type { Runtime } from '../runtime.js';
import { daysBetween, dueThreshold, forEachDuePage, reminderPlans } from './reminder-due.js';
import { ReminderSender } from './reminder-sender.js';
import { lifecycleSettings, lifecycleToday } from './settings.js';

/** The lease on pending rows this tick drops: the claim is followed by one write, the drop. */
const DROP_LEASE_MS = 60_000;

export interface ReminderRunOptions {
  /**
   * `YYYY-MM-DD`. @defaultValue `LICBRIDGE_TODAY`, else today in `lifecycle.timeZone` by the
   * ledger's clock (lifecycleToday told the ledger's time)
   */
  today?: string;
  /** Pending reminders re-sent per tick at most. @defaultValue 10000 */
  pendingLimit?: number;
  /** Candidate licenses read per page. @defaultValue 500 */
  pageSize?: number;
  /** Only these pipelines (`lifecycle run --pipeline`). @defaultValue every pipeline */
  pipelines?: readonly string[];
  /**
   * `today` is the real day the tick began on (not a day a person named): a failed send past
   * midnight counts for the day on the clock when it was made. @defaultValue `today` not given
   */
  realDay?: boolean;
  /**
   * `today` is a later day than the real one (`lifecycle run --today`, tick.ts): a failed send
   * stores no day (migration 039), so that day's real tick still tries it. @defaultValue false
   */
  rehearsal?: boolean;
  /**
   * Aborted by SIGTERM or SIGINT (`lifecycle run`), or a worker's shutdown (the scheduled tick):
   * no further reminder is written or claimed, a send in flight finishes and is recorded, and the
   * tick's claims not sent under are let go (reminder-sender.ts). Its reason names the signal.
   */
  stop?: AbortSignal;
}

/** Counts only: a summary is printed and logged, so it names no holder and no contact. */
export interface ReminderRunSummary {
  today: string;
  /** Reminders that became due today (pending rows written). */
  due: number;
  sent: number;
  /** Sent reminders the gateway answered from its idempotency memory (it had them already). */
  replayed: number;
  skipped: number;
  dropped: number;
  /**
   * Still pending after this tick: a failed attempt (the first tick of a later day sends it again),
   * or untried, no attempt counted — its gateway down (five failed in a row), a wait it or its
   * credential endpoint asked for longer than a send, its credentials not made — for the next tick.
   */
  failed: number;
  /**
   * Pending reminders whose send an earlier tick of the same day tried and failed: not sent again
   * before the next day (once a day at most: a gateway that took a message without answering
   * would otherwise reach the holder at every tick).
   */
  deferred: number;
  /**
   * Reminders this tick read whose outcome is another tick's, running at the same time
   * (reminder-sender.ts): one that tick held when this one came to send it, and then sent, skipped,
   * dropped or counted a failed attempt of (a later day's first tick sends it again), or was still
   * sending when this tick was asked to stop; one it tried or closed before this tick's claim; one
   * this tick claimed whose drop, skip, failed send or send whose credentials were not made found
   * it closed by that tick's outcome; a stale row of step 1 below it held, or closed before or after
   * the claim; a due one it wrote and closed before this tick wrote it (step 2); a row of a target
   * no longer a notify target it closed since this tick read it. Their outcome is in that tick's
   * summary, not in this one's `sent` or `failed`: counted `failed` here too, a message the other
   * tick got out read as a failure of a tick that never asked the gateway for it. 0 when none were.
   */
  byOtherTick: number;
  /** Contacts deleted because their license is no longer valid, or their pipeline's mapping reads none. */
  contactsPurged: number;
  /**
   * Set when the tick was asked to stop: the signal, and the reminders it had in hand and left
   * pending without trying them (due ones not yet written are not counted). The next tick sends them.
   */
  stopped?: { signal: string; left: number };
}

/**
 * The `pipelines` whose mapping reads no contact (`contact.*` rules removed). The contacts stored
 * while it read them are no longer the source's, since no run writes a contact for such a mapping:
 * reminded through them, a holder's message went to a number the business system may not hold any
 * more, given up or since another person's. Nothing else uses them, so the tick deletes them.
 */
async function readingNoContact(rt: Runtime, pipelines: Iterable<string>): Promise<Set<string>> {
  const out = new Set<string>();
  for (const pipeline of pipelines) {
    const file = rt.config.pipelines[pipeline]?.mapping;
    if (file === undefined) continue;
    try {
      const mapping = await compileMapping(file);
      if (!mapping.fields.some((f) => f.startsWith('contact.'))) out.add(pipeline);
    } catch {
      // A mapping that does not compile fails the pipeline's runs, which say why; it read contacts
      // or not, the tick cannot tell, and reminds as before.
    }
  }
  return out;
}

export async function sendDueReminders(
  rt: Runtime,
  options: ReminderRunOptions = {},
): Promise<ReminderRunSummary> {
  const settings = lifecycleSettings(rt.config);
  const ledger = await rt.ledger();
  // Days by the ledger's clock, as the tick tells its today and a page's commit whether the day
  // has turned (tick.ts, ledger/commit-page.ts): told the ledger's time once, `clock` follows it
  // after. By this host's clock, a host minutes ahead of the ledger's at midnight stamped a send
  // failed on the tick's day with the next one, so that day's ticks sent it again and the next
  // day's deferred it; one behind stamped a send failed past the ledger's midnight with the day
  // before, so the next day's tick sent it again within minutes.
  const clock = lifecycleToday(rt.config);
  // The tick's today (LICBRIDGE_TODAY pins it): the preview and a pinned tick agree on the day.
  const ledgerToday = clock(await ledger.lostTicks.now());
  const today = options.today ?? ledgerToday;
  // A failed send counts for the day it was made (migration 039). A tick of the real day that ran
  // past midnight made it on the next day, and stamped with the day it began on, the next day's
  // tick would send it again within minutes; a day a person named (`--today`) stays that day.
  const attemptDay =
    (options.realDay ?? options.today === undefined)
      ? () => {
          // Days `YYYY-MM-DD` order as text: never before the tick's own day.
          return [today, clock()].sort()[1] as string;
        }
      : () => today;
  const summary: ReminderRunSummary = {
    today,
    due: 0,
    sent: 0,
    replayed: 0,
    skipped: 0,
    dropped: 0,
    failed: 0,
    deferred: 0,
    byOtherTick: 0,
    contactsPurged: 0,
  };
  const plans = reminderPlans(rt.config, options.pipelines);
  // Of every pipeline of the config, not only those reminded: the contacts of one that reads none
  // any more are deleted (below), reminders configured for it or not.
  const noContact = await readingNoContact(rt, Object.keys(rt.config.pipelines));
  // Reminded as pipelines without reminders: none opened, a pending one dropped unsent (below).
  const sending = new Map([...plans].filter(([pipeline]) => !noContact.has(pipeline)));
  // A full tick looks at pending reminders even with none configured: ones left from before the
  // configuration dropped them are closed (`reminders-off`), not left pending for ever.
  const store = ledger.reminders;
  const log = rt.logger.child({ component: 'reminders' });
  if (plans.size === 0 && options.pipelines !== undefined) {
    // Nothing to send, but the contacts of licenses no longer valid go all the same: returned
    // before the purge, a deployment ticking each such pipeline on its own kept them for ever.
    summary.contactsPurged = await store.purgeContacts([...noContact]);
    if (summary.contactsPurged > 0) log.info({ ...summary }, 'lifecycle: expiry reminders');
    return summary;
  }
  // A rehearsal counts its failed attempts but stores no day: stored, its day came with that day's
  // real tick taking the reminder as tried already, and a gateway down during the rehearsal held
  // the real reminder back a day.
  const sender = new ReminderSender(rt, summary, attemptDay, options.stop, options.rehearsal !== true);
  // Tried today already (migration 039): one attempt a day, whichever tick of the day makes it,
  // and whatever happened to the row since (closed `dropped` and made pending again: step 2). A
  // day after the tick's own, up to the clock's, counts too (as a watermark covers a day in
  // tick.ts): the tick of an earlier day (`--today`, catching up on a lost tick) run this afternoon
  // leaves alone what today's tick tried this morning, and a tick run past midnight what the next
  // day's tried; a later day's rehearsal (after the clock's day) holds back no real tick, nor
  // stores its day (below).
  const triedToday = (r: StoredReminder) =>
    r.lastAttemptDay !== null &&
    (r.lastAttemptDay === today || (r.lastAttemptDay > today && r.lastAttemptDay <= clock()));
  try {
    // 1. What an earlier tick left pending goes first, under its first key.
    // A tick of some pipelines leaves the others' alone; a full tick drops those whose license
    // type has no reminders configured any more (below).
    // Those tried today last (a day after the tick's own up to the clock's too, as triedToday
    // counts them): deferred below, they leave the limit to the others.
    // A tick of some pipelines reads theirs only, so the limit is theirs: another pipeline's
    // backlog of pending rows does not fill it.
    const pending = await store.pending(
      options.pendingLimit ?? 10_000,
      today,
      [today, clock()].sort()[1],
      options.pipelines === undefined ? undefined : [...plans.keys()],
    );
    if (pending.length > 0) {
      const states = await store.licenseStates(pending.map((r) => r.licenseId));
      const renewed = await store.continued(pending.map((r) => r.licenseId));
      const stale: ReminderOutcome[] = [];
      const resend: StoredReminder[] = [];
      for (const r of pending) {
        const s = states.get(r.licenseId);
        const plan = plans.get(r.pipeline);
        const daysLeft = daysBetween(today, r.validTo);
        const current = plan ? dueThreshold(plan.thresholds, daysLeft) : undefined;
        const reason = !plan
          ? 'reminders-off'
          : noContact.has(r.pipeline)
            ? 'no-contact-rules'
            : // Its target renamed or replaced in the config: step 2 writes it again for the current one.
              r.target !== plan.type.target
              ? 'target-changed'
              : s?.status !== 'valid'
                ? 'license-not-valid'
                : s.validTo !== r.validTo
                  ? 'valid-to-changed'
                  : r.validTo < today
                    ? 'expired'
                    : renewed.has(r.licenseId)
                      ? 'renewed'
                      : current !== undefined && current < r.threshold
                        ? 'superseded'
                        : undefined;
        if (reason) stale.push(sender.outcome(r, { state: 'dropped', reason }));
        else if (triedToday(r)) summary.deferred += 1;
        // Same key, so the gateway still answers one it took from its memory; the days left are
        // today's, not those of the day the row was written.
        else resend.push({ ...r, daysLeft });
      }
      // Claimed, then recorded before anything is sent: a crash after this leaves the superseded
      // row closed, and the current threshold's reminder for step 2 of the next tick. A row
      // another tick holds is its send in flight (that tick may run as another day): closing it
      // would end that lease, and a tick of that day could open the row again and send it under
      // the same key while the first send is still out. It stays to its holder, whose answer is
      // recorded; failed, the row is dropped by the next tick.
      const claim = await store.claim(
        stale.map((o) => o.key),
        sender.owner,
        DROP_LEASE_MS,
      );
      const mine = new Set(claim.claimed);
      const drops = stale.filter((o) => mine.has(o.key));
      try {
        // Counted as moved: a row another tick's answer closed since the claim (a `sent` is
        // recorded whoever holds the row) is that tick's, not a drop. So is one it holds, or
        // closed before the claim: counted nowhere, the summary lost a reminder the tick read.
        const moved = await store.record(drops, sender.owner);
        summary.dropped += moved;
        summary.byOtherTick += stale.length - moved;
      } catch (e) {
        // As after a send that threw (reminder-sender.ts): the claims are let go, so the retry of
        // this tick drops the rows at once instead of finding them held for DROP_LEASE_MS.
        await store.release(claim.claimed, sender.owner).catch(() => undefined);
        throw e;
      }
      await sender.send(resend);
    }

    // 2. Licenses that reached a threshold, page by page through the validTo index.
    if (sending.size > 0) {
      const pageSize = options.pageSize ?? settings.pageSize;
      await forEachDuePage(store, sending, today, pageSize, options.stop, async (fresh) => {
        // Written pending before anything is sent: a crash from here on leaves them for step 1.
        const opened = await store.open(fresh);
        const rows = opened.filter((r) => r.state === 'pending');
        summary.due += fresh.length;
        // Closed already: another tick found it due too, and wrote and sent (or skipped) it since
        // this one read the license. Its outcome is that tick's.
        summary.byOtherTick += opened.length - rows.length;
        // A `dropped` row made pending again keeps the day of its last failed send: dropped after
        // it failed this morning (reminders switched off, its target renamed) and due again now,
        // it waits for tomorrow like any other reminder tried today.
        const later = rows.filter(triedToday);
        summary.deferred += later.length;
        await sender.send(rows.filter((r) => !triedToday(r)));
      });
    }
    // After the sending: a pending reminder of a license that just stopped being valid is dropped
    // above on the next tick, and needs no contact for that.
    summary.contactsPurged = await store.purgeContacts([...noContact]);
  } finally {
    await sender.close();
  }
  if (options.stop?.aborted) summary.stopped = { signal: String(options.stop.reason), left: sender.left };
  if (plans.size > 0 || summary.dropped > 0) log.info({ ...summary }, 'lifecycle: expiry reminders');
  return summary;
}
