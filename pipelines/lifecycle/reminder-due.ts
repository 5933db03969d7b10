/**
 * Which expiry reminders are due on a day (pipelines/lifecycle/reminders.ts sends them): per
 * pipeline whose license type has reminders configured, the smallest threshold a license has
 * reached, once per `validTo`, and not for a license a renewal keeping its number continues.
 * Candidates are read a page at a time through the licenses' validTo index.
 */
import type { Config, ReminderTypeConfig } from '../../config/types.js';
import { addDays, parseIsoDate } from '../../core/local-date.js';
import { type NewReminder, type ReminderStore, remindedNobody } from '../../ledger/reminders.js';
import type { Runtime } from '../runtime.js';
import { lifecycleToday } from './settings.js';

export interface Plan {
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
export function reminderPlans(config: Runtime['config'], only?: readonly string[]): Map<string, Plan> {
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
 * at a time (found through the licenses' validTo index, never a scan of every license). Once
 * `stop` is aborted, no further page is read nor handed on.
 */
export async function forEachDuePage(
  store: ReminderStore,
  plans: ReadonlyMap<string, Plan>,
  today: string,
  pageSize: number,
  stop: AbortSignal | undefined,
  onPage: (fresh: NewReminder[]) => Promise<void>,
): Promise<void> {
  const maxThreshold = Math.max(...[...plans.values()].flatMap((p) => p.thresholds));
  let after: string | undefined;
  for (;;) {
    if (stop?.aborted) return;
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
    // has passed the reminder still due goes out (ledger `open` reopens the dropped row of the same
    // license, validTo and threshold under its key, whatever version it was written for). So does
    // one skipped as its stored text did not read: counted reached, the reminder was never sent
    // once a person restored the text (with one threshold, never at all).
    const reached = (licenseId: string, validTo: string, t: number) =>
      existing.some(
        (r) => r.licenseId === licenseId && r.validTo === validTo && r.threshold <= t && !remindedNobody(r),
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
    if (fresh.length > 0 && !stop?.aborted) await onPage(fresh);
    if (page.length < pageSize) return;
  }
}

/**
 * The reminders due on `today` that no tick has written yet (for `licbridge lifecycle reminders`):
 * the first `limit` of them, of `pipelines` when given, and how many there are in all.
 */
export async function dueReminders(
  config: Readonly<Config>,
  store: ReminderStore,
  options: { today?: string; limit?: number; pipelines?: readonly string[] } = {},
): Promise<{ due: NewReminder[]; total: number }> {
  const today = options.today ?? lifecycleToday(config)();
  // Only the pipelines asked for: cut at `limit` over every pipeline and filtered after, the
  // list of one whose licenses sort after another's came out empty.
  const plans = reminderPlans(config, options.pipelines);
  if (plans.size === 0) return { due: [], total: 0 };
  const limit = options.limit ?? 1000;
  const due: NewReminder[] = [];
  let total = 0;
  // Every page is read to count them all: the list stops at `limit`, the count does not.
  await forEachDuePage(store, plans, today, 500, undefined, async (fresh) => {
    total += fresh.length;
    due.push(...fresh.slice(0, limit - due.length));
  });
  return { due, total };
}
