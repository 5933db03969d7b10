/**
 * A reminder read again once claimed, before its send (reminder-sender.ts): a run may have revoked,
 * suspended, re-dated or renewed the license since the tick read it, and a tick of the real day may
 * send past midnight, when its last day is over or a smaller threshold applies.
 */
import type { ReminderStore, StoredReminder } from '../../ledger/reminders.js';
import type { Runtime } from '../runtime.js';
import { daysBetween, dueThreshold, reminderPlans } from './reminder-due.js';

/** Why a claimed reminder no longer applies on `day`, as the tick's first step words it; undefined while it does. */
export async function noLongerDue(
  store: ReminderStore,
  config: Runtime['config'],
  row: StoredReminder,
  day: string,
): Promise<string | undefined> {
  const state = (await store.licenseStates([row.licenseId])).get(row.licenseId);
  if (state?.status !== 'valid') return 'license-not-valid';
  if (state.validTo !== row.validTo) return 'valid-to-changed';
  // Its last day over since the tick read it (a tick of the real day sending past midnight): it
  // is still `valid` in the ledger until the next day's tick, but no longer runs out ahead.
  if (row.validTo < day) return 'expired';
  // A renewal keeping the number, read since the tick's first step: its holder has renewed.
  if ((await store.continued([row.licenseId])).has(row.licenseId)) return 'renewed';
  // A smaller threshold reached since (midnight passed during a tick of the real day): sent, it
  // would say the smaller threshold's days left, and the next tick would write and send that
  // threshold's reminder too, two messages saying the same. Dropped, as step 1 drops one left
  // pending (reminders.ts); the next tick sends the smaller threshold's.
  const plan = reminderPlans(config, [row.pipeline]).get(row.pipeline);
  const current = plan ? dueThreshold(plan.thresholds, daysBetween(day, row.validTo)) : undefined;
  if (current !== undefined && current < row.threshold) return 'superseded';
  return undefined;
}
