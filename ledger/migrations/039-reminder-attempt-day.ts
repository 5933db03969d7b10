/**
 * `reminders.last_attempt_day`: the day (`YYYY-MM-DD`, in `lifecycle.timeZone`) a tick last
 * counted a failed send of the reminder (ledger/reminders.ts `attempt`). A pending reminder is
 * sent again by the first tick of a later day, not by every tick of the same day: a tick started
 * again that afternoon (by hand, or a stalled one queued again) would otherwise retry each failed
 * send, and a gateway that delivered the message without answering would reach the holder several
 * times a day. Rows written before this migration hold none, and are tried by the next tick.
 */
import type { Knex } from 'knex';

export const reminderAttemptDayMigration = {
  name: '039-reminder-attempt-day',

  async up(knex: Knex): Promise<void> {
    await knex.schema.alterTable('reminders', (t) => {
      t.text('last_attempt_day').nullable();
    });
  },

  async down(knex: Knex): Promise<void> {
    await knex.schema.alterTable('reminders', (t) => {
      t.dropColumn('last_attempt_day');
    });
  },
};
