/**
 * Dead letters and delivery order. The `deliveries` table already holds the dead-letter state
 * (`dead`, with the platform's reasons); this migration adds what operators do about them:
 * every replay and discard is kept as an action row (the district's rules ask for a log of every
 * issue, revoke and update kept at least 20 years, and a discarded delivery is a decision
 * someone must be able to answer for). It also indexes deliveries by license and target so the
 * order check (is the previous version landed?) is one indexed lookup.
 */
import type { Knex } from 'knex';

const TS = { useTz: true, precision: 3 } as const;

export const deliveryDeadLettersMigration = {
  name: '003-delivery-dead-letters',

  async up(knex: Knex): Promise<void> {
    await knex.schema.createTable('dead_letter_actions', (t) => {
      t.bigIncrements('id');
      t.text('delivery_key').notNullable();
      t.text('target').notNullable();
      // `replay` or `discard`.
      t.text('action').notNullable();
      // The reasons the delivery was dead with when the action was taken.
      t.text('reasons').notNullable();
      t.text('note').nullable();
      t.timestamp('created_at', TS).notNullable();
      t.index(['delivery_key'], 'dead_letter_actions_key_idx');
    });
    await knex.schema.alterTable('deliveries', (t) => {
      t.index(['license_id', 'target', 'version'], 'deliveries_license_target_version_idx');
      // A short lease on a delivery being sent (ledger/delivery-claims.ts): two jobs holding the
      // same key (a sweep after a crash, overlapping batches) never send it at the same time.
      t.text('claim_owner').nullable();
      t.timestamp('claimed_until', TS).nullable();
    });
  },

  async down(knex: Knex): Promise<void> {
    await knex.schema.alterTable('deliveries', (t) => {
      t.dropIndex(['license_id', 'target', 'version'], 'deliveries_license_target_version_idx');
      t.dropColumn('claim_owner');
      t.dropColumn('claimed_until');
    });
    await knex.schema.dropTableIfExists('dead_letter_actions');
  },
};
