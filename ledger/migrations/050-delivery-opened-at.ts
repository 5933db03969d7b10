/**
 * `deliveries.opened_at`: when the delivery's current round began, for a delivery put back to
 * `pending` after it was final — a replay (`dlq replay`) or a repair's reopening; null for one
 * still in its first round, which began when its row was written (`created_at`). The check of
 * deliveries open too long (`delivery-overdue`) counted from `created_at`: an accepted delivery
 * written days ago and reopened by a repair a moment ago was named overdue at once. Replays were
 * already told from `dead_letter_actions` (ledger/backlog.ts); a repair's reopening left no row
 * the check could read.
 *
 * Rounds begun before this migration by a repair are not known: such a delivery still counts from
 * its `created_at` (or its latest replay) until its round ends.
 */
import type { Knex } from 'knex';

export const deliveryOpenedAtMigration = {
  name: '050-delivery-opened-at',

  async up(knex: Knex): Promise<void> {
    // Nullable, no default: PostgreSQL adds the column without rewriting the table.
    await knex.schema.alterTable('deliveries', (t) => {
      t.timestamp('opened_at', { useTz: true, precision: 3 }).nullable();
    });
  },

  async down(knex: Knex): Promise<void> {
    await knex.schema.alterTable('deliveries', (t) => {
      t.dropColumn('opened_at');
    });
  },
};
