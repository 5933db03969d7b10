/**
 * `reminders.claim_owner` and `reminders.claimed_until`: the lease a lifecycle tick takes on a
 * pending reminder before it sends it (ledger/reminder-claims.ts). Two ticks can run on one day
 * (a stalled tick handed off by BullMQ, or queued again once), and both read the same pending
 * rows: the one that claims a row sends it, the other waits for the outcome or for the lease to
 * run out (the tick that held it died). Rows written before this migration hold no lease.
 */
import type { Knex } from 'knex';

const TS = { useTz: true, precision: 3 } as const;

export const reminderClaimsMigration = {
  name: '032-reminder-claims',

  async up(knex: Knex): Promise<void> {
    await knex.schema.alterTable('reminders', (t) => {
      t.text('claim_owner').nullable();
      t.timestamp('claimed_until', TS).nullable();
    });
  },

  async down(knex: Knex): Promise<void> {
    await knex.schema.alterTable('reminders', (t) => {
      t.dropColumn('claimed_until');
      t.dropColumn('claim_owner');
    });
  },
};
