/**
 * What `licbridge lifecycle reminders` shows: the reminders the ledger holds (sent, pending,
 * skipped, dropped) and those due today that no tick has written yet. Ids, dates and states only:
 * no holder name, no contact.
 */
import type { Config } from '../../config/types.js';
import type { Logger } from '../../core/logger.js';
import { zonedTime } from '../../core/zoned-time.js';
import type { NewReminder, ReminderState, StalePending, StoredReminder } from '../../ledger/reminders.js';
import type { Attention } from '../observability/attention.js';
import { READ_ONLY, withLedger } from '../with-ledger.js';
import { dueReminders } from './reminder-due.js';
import { lifecycleSettings, lifecycleToday } from './settings.js';

export interface ReminderList {
  today: string;
  timeZone: string;
  /** Rows in the ledger, newest first. */
  reminders: StoredReminder[];
  /** Due today, not yet written: the next tick sends them (the first `limit`). */
  due: NewReminder[];
  /** How many are due today and not yet written, however many `due` lists. */
  dueTotal: number;
  /**
   * Rows by state in the ledger (of the pipeline, when one is named), however many are listed: a
   * count over the newest `limit` rows hid the pending ones behind a thousand sent.
   */
  counts: Record<ReminderState, number>;
}

export async function listReminders(
  config: Readonly<Config>,
  logger: Logger,
  options: { today?: string; state?: ReminderState; pipeline?: string; limit?: number } = {},
): Promise<ReminderList> {
  const { timeZone } = lifecycleSettings(config);
  // A listing: read as the other listings read (READ_ONLY). Through a Runtime the ledger was
  // migrated, and a mistyped SQLite path made new, its empty lists read as nothing to send.
  return withLedger(
    config,
    async (ledger) => {
      // Today by the ledger's clock, as the tick takes it (reminders.ts; LICBRIDGE_TODAY pins
      // both): by this host's, a host minutes off at midnight previewed the day before or after
      // the one the next tick sends.
      const today = options.today ?? lifecycleToday(config)(await ledger.lostTicks.now());
      const reminders = await ledger.reminders.list({
        ...(options.state ? { state: options.state } : {}),
        ...(options.pipeline ? { pipeline: options.pipeline } : {}),
        limit: options.limit ?? 1000,
      });
      const { due, total: dueTotal } = await dueReminders(config, ledger.reminders, {
        today,
        limit: options.limit ?? 1000,
        ...(options.pipeline === undefined ? {} : { pipelines: [options.pipeline] }),
      });
      const counts = await ledger.reminders.countByState(
        options.pipeline ? { pipeline: options.pipeline } : {},
      );
      return { today, timeZone, reminders, due, dueTotal, counts };
    },
    { ...READ_ONLY, logger },
  );
}

/** A reminder still pending this long after it became due needs a person: the tick retries daily. */
export const REMINDER_STALE_MS = 24 * 3600 * 1000;

/**
 * One line per notify target whose reminders stay pending (`licbridge status`, `/metrics`), the
 * oldest on the clock of `tz` (`lifecycle.timeZone`), as status gives its other times: in UTC it
 * read eight hours off, and the day before, in Beijing.
 */
export function reminderAttention(stale: readonly StalePending[], tz: string): Attention[] {
  return stale.map((s) => ({
    kind: 'reminders-pending',
    message: `expiry reminders: ${s.count} pending at target ${s.target} since ${zonedTime(s.oldest.toISOString(), tz)}; the gateway has not taken them — check it; the next lifecycle tick sends them (licbridge lifecycle reminders --state pending)`,
  }));
}
