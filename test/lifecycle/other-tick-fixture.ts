/**
 * For files where another tick, running at the same time, closes reminders this tick reads
 * (its outcomes counted byOtherTick).
 */
import type { ReminderStore, StoredReminder } from '../../ledger/reminder-types.js';
import type { ReminderRunSummary } from '../../pipelines/lifecycle/reminders.js';

/** Each reminder the tick read, in its counts: the due ones all in one outcome each. */
export function outcomes(s: ReminderRunSummary): number {
  return s.sent + s.failed + s.skipped + s.dropped + s.deferred + s.byOtherTick;
}

/** Records `rows` sent by another tick, as its gateway's answer comes. */
export function sentByOther(store: ReminderStore, rows: readonly StoredReminder[]) {
  return store.record(
    rows.map((r) => ({
      key: r.key,
      actor: 'target:holder-sms',
      digest: 'a'.repeat(64),
      state: 'sent' as const,
      messageId: `m-other-${r.key}`,
    })),
    'tick:other',
  );
}
