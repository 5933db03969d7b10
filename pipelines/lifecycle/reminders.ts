/**
 * Expiry reminders (e-license rules art. 30: the issuing unit reminds holders before a license
 * expires), step 2 of the daily tick. Per license type, `lifecycle.reminders` names thresholds in
 * days before `validTo` and the `notify` target that sends them.
 *
 * Exactly once per (license, version, threshold), across repeated ticks and crashes:
 * 1. reminders left `pending` by an earlier tick (it died, or the gateway did not answer) are
 *    sent again first, under the same idempotency key — a gateway that got one before the crash
 *    replays its first answer and sends nothing. One whose threshold a smaller one has replaced
 *    since (a 30-day reminder pending through an outage, and 5 days left now) is closed as
 *    `dropped`/`superseded` instead, recorded and audited before anything is sent: step 2 then
 *    writes and sends the current threshold's reminder. A re-sent reminder says the days left on
 *    the day it goes out, not those of the day it was written;
 * 2. for each license due a reminder today, a `pending` row is written BEFORE its message goes
 *    out, and marked `sent` (with a `remind` audit entry) after the gateway answered.
 * A license gets the reminder of the smallest threshold it has reached, once per `validTo` (a new
 * version with the same `validTo` is not reminded again), and none of the larger ones it passed
 * while no tick ran — a holder 5 days from expiry hears "5 days", not "90" and "30" and "7" at once.
 *
 * Contacts are read from the ledger here and go to the gateway only: this process never puts
 * them in a job, a log line, an error or a summary.
 */

import type { NotifyTargetConfig } from '../../adapters/platforms/notify/config.js';
import {
  NotifyTarget,
  type ReminderMessage,
  reminderIdempotencyKey,
} from '../../adapters/platforms/notify/notify-target.js';
import { normalizePhone } from '../../catalog/holder-contact.js';
import type { ReminderTypeConfig } from '../../config/types.js';
import { crashPoint } from '../../core/crash-point.js';
import { errorLine, isLicbridgeError } from '../../core/errors.js';
import { addDays, parseIsoDate } from '../../core/local-date.js';
import { maskContact } from '../../core/mask.js';
import { scrubPersonal } from '../../core/scrub.js';
import type { NewReminder, ReminderOutcome, ReminderStore, StoredReminder } from '../../ledger/reminders.js';
import type { Runtime } from '../runtime.js';
import { lifecycleSettings, lifecycleToday } from './settings.js';

export interface ReminderRunOptions {
  /** `YYYY-MM-DD`. @defaultValue `LICBRIDGE_TODAY`, else today in `lifecycle.timeZone` (lifecycleToday) */
  today?: string;
  /** Pending reminders re-sent per tick at most. @defaultValue 10000 */
  pendingLimit?: number;
  /** Candidate licenses read per page. @defaultValue 500 */
  pageSize?: number;
  /** Only these pipelines (`lifecycle run --pipeline`). @defaultValue every pipeline */
  pipelines?: readonly string[];
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
  /** Still pending after this tick's attempts; the next tick sends them again. */
  failed: number;
  /** Contacts deleted because their license is no longer valid. */
  contactsPurged: number;
}

interface Plan {
  pipeline: string;
  type: ReminderTypeConfig;
  /** Ascending. */
  thresholds: number[];
}

/** Whole days from `today` to `day` (both `YYYY-MM-DD`). */
export function daysBetween(today: string, day: string): number {
  const a = parseIsoDate(today);
  const b = parseIsoDate(day);
  if (!a || !b) return Number.NaN;
  return Math.round(
    (Date.UTC(b.year, b.month - 1, b.day) - Date.UTC(a.year, a.month - 1, a.day)) / 86_400_000,
  );
}

/** The threshold a license `daysLeft` from expiry is due, or undefined when it has reached none. */
export function dueThreshold(thresholds: readonly number[], daysLeft: number): number | undefined {
  if (!(daysLeft >= 0)) return undefined;
  let best: number | undefined;
  for (const t of thresholds) if (daysLeft <= t && (best === undefined || t < best)) best = t;
  return best;
}

/** Per pipeline whose license type has reminders configured: its thresholds and target. */
function reminderPlans(config: Runtime['config'], only?: readonly string[]): Map<string, Plan> {
  const types = config.lifecycle?.reminders ?? {};
  const plans = new Map<string, Plan>();
  for (const [pipeline, p] of Object.entries(config.pipelines)) {
    if (only && !only.includes(pipeline)) continue;
    const type = types[p.licenseType];
    if (type) plans.set(pipeline, { pipeline, type, thresholds: [...type.thresholds].sort((a, b) => a - b) });
  }
  return plans;
}

/**
 * Hands `onPage` the reminders due on `today` and not yet written, a page of candidate licenses
 * at a time (found through the licenses' validTo index, never a scan of every license).
 */
async function forEachDuePage(
  store: ReminderStore,
  plans: ReadonlyMap<string, Plan>,
  today: string,
  pageSize: number,
  onPage: (fresh: NewReminder[]) => Promise<void>,
): Promise<void> {
  const maxThreshold = Math.max(...[...plans.values()].flatMap((p) => p.thresholds));
  let after: string | undefined;
  for (;;) {
    const page = await store.candidates({
      pipelines: [...plans.keys()],
      from: today,
      to: addDays(today, maxThreshold),
      limit: pageSize,
      ...(after === undefined ? {} : { after }),
    });
    if (page.length === 0) return;
    after = page[page.length - 1]?.licenseId;
    const existing = await store.forLicenses(page.map((c) => c.licenseId));
    // A license a renewal keeping its number continues: its holder has renewed.
    const renewed = await store.continued(page.map((c) => c.licenseId));
    // Once per validTo, and never a larger threshold after a smaller one: a later version
    // announcing the same date is not reminded again. A `dropped` row was closed unsent (reminders
    // switched off, the license suspended, its date moved): it reminded nobody, so once the reason
    // has passed the reminder still due goes out (ledger `open` reopens a dropped row of its key).
    const reached = (licenseId: string, validTo: string, t: number) =>
      existing.some(
        (r) =>
          r.licenseId === licenseId && r.validTo === validTo && r.threshold <= t && r.state !== 'dropped',
      );
    const fresh: NewReminder[] = [];
    for (const c of page) {
      const plan = plans.get(c.pipeline);
      if (!plan) continue;
      const daysLeft = daysBetween(today, c.validTo);
      const threshold = dueThreshold(plan.thresholds, daysLeft);
      if (threshold === undefined || renewed.has(c.licenseId) || reached(c.licenseId, c.validTo, threshold))
        continue;
      fresh.push({
        licenseId: c.licenseId,
        version: c.version,
        pipeline: c.pipeline,
        target: plan.type.target,
        threshold,
        validTo: c.validTo,
        daysLeft,
        dueDay: today,
      });
    }
    if (fresh.length > 0) await onPage(fresh);
    if (page.length < pageSize) return;
  }
}

/** The reminders due on `today` that no tick has written yet (for `licbridge lifecycle reminders`). */
export async function dueReminders(
  rt: Runtime,
  options: { today?: string; limit?: number } = {},
): Promise<NewReminder[]> {
  const today = options.today ?? lifecycleToday(rt.config)();
  const plans = reminderPlans(rt.config);
  if (plans.size === 0) return [];
  const store = (await rt.ledger()).reminders;
  const limit = options.limit ?? 1000;
  const out: NewReminder[] = [];
  await forEachDuePage(store, plans, today, 500, async (fresh) => {
    out.push(...fresh.slice(0, limit - out.length));
  });
  return out;
}

export async function sendDueReminders(
  rt: Runtime,
  options: ReminderRunOptions = {},
): Promise<ReminderRunSummary> {
  const settings = lifecycleSettings(rt.config);
  // The tick's today (LICBRIDGE_TODAY pins it): the preview and a pinned tick agree on the day.
  const today = options.today ?? lifecycleToday(rt.config)();
  const summary: ReminderRunSummary = {
    today,
    due: 0,
    sent: 0,
    replayed: 0,
    skipped: 0,
    dropped: 0,
    failed: 0,
    contactsPurged: 0,
  };
  const plans = reminderPlans(rt.config, options.pipelines);
  // A full tick looks at pending reminders even with none configured: ones left from before the
  // configuration dropped them are closed (`reminders-off`), not left pending for ever.
  if (plans.size === 0 && options.pipelines !== undefined) return summary;
  const ledger = await rt.ledger();
  const store = ledger.reminders;
  const log = rt.logger.child({ component: 'reminders' });
  const sender = new ReminderSender(rt, summary);
  try {
    // 1. What an earlier tick left pending goes first, under its first key.
    // A tick of some pipelines leaves the others' alone; a full tick drops those whose license
    // type has no reminders configured any more (below).
    const pending = (await store.pending(options.pendingLimit ?? 10_000)).filter(
      (r) => options.pipelines === undefined || plans.has(r.pipeline),
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
        // Same key, so the gateway still answers one it took from its memory; the days left are
        // today's, not those of the day the row was written.
        else resend.push({ ...r, daysLeft });
      }
      // Recorded before anything is sent: a crash after this leaves the superseded row closed,
      // and the current threshold's reminder for step 2 of the next tick.
      await store.record(stale);
      summary.dropped += stale.length;
      await sender.send(resend);
    }

    // 2. Licenses that reached a threshold, page by page through the validTo index.
    if (plans.size > 0) {
      await forEachDuePage(store, plans, today, options.pageSize ?? settings.pageSize, async (fresh) => {
        // Written pending before anything is sent: a crash from here on leaves them for step 1.
        const rows = (await store.open(fresh)).filter((r) => r.state === 'pending');
        summary.due += fresh.length;
        await sender.send(rows);
      });
    }
    // After the sending: a pending reminder of a license that just stopped being valid is dropped
    // above on the next tick, and needs no contact for that.
    summary.contactsPurged = await store.purgeContacts();
  } finally {
    await sender.close();
  }
  if (plans.size > 0 || summary.dropped > 0) log.info({ ...summary }, 'lifecycle: expiry reminders');
  return summary;
}

/** Reminders in a row that failed at a target before the tick leaves the rest of its reminders pending. */
const DOWN_AFTER = 5;

/** Sends reminder rows through their notify targets and records each answer as it comes. */
class ReminderSender {
  private readonly targets = new Map<string, NotifyTarget>();
  /** Per target, reminders in a row whose every attempt failed: a gateway that is down. */
  private readonly failedInARow = new Map<string, number>();

  constructor(
    private readonly rt: Runtime,
    private readonly summary: ReminderRunSummary,
  ) {}

  outcome(
    r: StoredReminder,
    o: { state: ReminderOutcome['state']; reason?: string; messageId?: string },
  ): ReminderOutcome {
    return {
      key: r.key,
      actor: `target:${r.target}`,
      digest: reminderDigest(r),
      state: o.state,
      ...(o.reason === undefined ? {} : { reason: o.reason }),
      ...(o.messageId === undefined ? {} : { messageId: o.messageId }),
      // What the message said: a re-sent reminder carries the days left on the day it went out.
      ...(o.state === 'sent' ? { daysLeft: r.daysLeft } : {}),
    };
  }

  async send(rows: readonly StoredReminder[]): Promise<void> {
    if (rows.length === 0) return;
    const ledger = await this.rt.ledger();
    const store = ledger.reminders;
    const [contacts, facts] = await Promise.all([
      store.contacts(rows.map((r) => r.licenseId)),
      store.versionFacts(rows.map((r) => ({ licenseId: r.licenseId, version: r.version }))),
    ]);
    const byTarget = new Map<string, StoredReminder[]>();
    for (const r of rows) {
      const list = byTarget.get(r.target);
      if (list) list.push(r);
      else byTarget.set(r.target, [r]);
    }
    for (const [name, list] of byTarget) {
      const config = this.rt.config.targets[name];
      if (config?.kind !== 'notify') {
        // The loader refuses this config; a target renamed since the row was written lands here.
        await store.attempt(
          list.map((r) => r.key),
          `target ${name} is not a notify target`,
        );
        this.summary.failed += list.length;
        continue;
      }
      const target = this.target(name, config);
      const queue = [...list];
      const work = async (): Promise<void> => {
        for (let r = queue.shift(); r !== undefined; r = queue.shift()) {
          const row = r;
          if ((this.failedInARow.get(name) ?? 0) >= DOWN_AFTER) {
            // The gateway is down: the rest stay pending for the next tick instead of each
            // waiting out its own timeouts, which would hold the tick for hours.
            this.summary.failed += 1;
            continue;
          }
          const contact = contacts.get(row.licenseId);
          const raw = config.channel === 'sms' ? contact?.phone : contact?.appUserId;
          const recipient =
            raw === undefined ? undefined : config.channel === 'sms' ? normalizePhone(raw) : raw;
          const fact = facts.get(`${row.licenseId}:${row.version}`);
          if (recipient === undefined || !fact) {
            const reason = !fact ? 'version-missing' : raw === undefined ? 'no-contact' : 'contact-invalid';
            await store.record([this.outcome(row, { state: 'skipped', reason })]);
            this.summary.skipped += 1;
            continue;
          }
          const template = this.templateFor(row.pipeline);
          const message = {
            key: row.key,
            // The key first used, whatever the target is called now: a gateway that took the
            // message under the old name replays its answer instead of sending it again.
            keyTarget: row.keyTarget,
            recipient,
            ...(template === undefined ? {} : { template }),
            params: {
              licenseType: fact.typeName,
              number: fact.number,
              issuer: fact.issuerName,
              validTo: row.validTo,
              daysLeft: row.daysLeft,
            },
          };
          const answer = await this.trySend(target, config, message);
          this.failedInARow.set(name, answer.state === 'failed' ? (this.failedInARow.get(name) ?? 0) + 1 : 0);
          if (answer.state === 'sent') {
            // A crash here leaves a message the gateway took and the ledger does not know: the
            // next tick sends it again under the same key, and the gateway replays its answer.
            crashPoint('reminder-answered');
            await store.record([this.outcome(row, { state: 'sent', messageId: answer.messageId })]);
            this.summary.sent += 1;
            if (answer.replayed) this.summary.replayed += 1;
          } else if (answer.state === 'refused') {
            await store.record([this.outcome(row, { state: 'skipped', reason: answer.reason })]);
            this.summary.skipped += 1;
          } else {
            await store.attempt([row.key], answer.error);
            this.summary.failed += 1;
          }
        }
      };
      await Promise.all(Array.from({ length: Math.max(1, config.concurrency) }, work));
    }
  }

  private async trySend(
    target: NotifyTarget,
    config: NotifyTargetConfig,
    message: ReminderMessage,
  ): Promise<
    | { state: 'sent'; messageId: string; replayed: boolean }
    | { state: 'refused'; reason: string }
    | { state: 'failed'; error: string }
  > {
    let error = 'no attempt';
    for (let attempt = 1; attempt <= config.attempts; attempt++) {
      try {
        const answer = await target.send(message);
        if (answer.state !== 'refused') return answer;
        return { state: 'refused', reason: scrubPersonal(answer.reason, [message.recipient], maskContact) };
      } catch (e) {
        // The target's errors name target and origin; a gateway's short reason could still echo
        // the number it was sent, so the text is scrubbed before it is stored.
        error = scrubPersonal(
          isLicbridgeError(e) ? e.message : errorLine(e),
          [message.recipient],
          maskContact,
        );
        if (isLicbridgeError(e) && !e.retryable) break;
        if (attempt < config.attempts)
          await new Promise((r) => setTimeout(r, config.backoffMs * 2 ** (attempt - 1)));
      }
    }
    return { state: 'failed', error };
  }

  private templateFor(pipeline: string): string | undefined {
    const type = this.rt.config.lifecycle?.reminders?.[this.rt.pipelineConfig(pipeline).licenseType];
    return type?.template;
  }

  private target(name: string, config: NotifyTargetConfig): NotifyTarget {
    let t = this.targets.get(name);
    if (!t) {
      t = new NotifyTarget(name, config);
      this.targets.set(name, t);
    }
    return t;
  }

  async close(): Promise<void> {
    for (const t of this.targets.values()) await t.close();
  }
}

/** The audit digest of a reminder: its idempotency key (SHA-256 of its key's target and reminder key). */
function reminderDigest(r: StoredReminder): string {
  return reminderIdempotencyKey(r.keyTarget, r.key);
}
