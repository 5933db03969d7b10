/**
 * `deliveries.duplicate_at` and `deliveries.duplicate_repair`: what a repair needs to tell a
 * re-delivery the platform answered as a duplicate (it accepted the key once, yet shows an older
 * version) and to leave it alone afterwards (ledger/reconcile-duplicates.ts).
 * - `duplicate_at`: when the platform first answered a send of the delivery as a duplicate since a
 *   repair last reopened it. A later answer never clears it: a `submitted` answer polled later
 *   carries no such word, and replacing the receipt lost it.
 * - `duplicate_repair`: the repair run that found the platform showing an older version after
 *   such an answer. Later repairs report the delivery without sending it again, until
 *   `reconcile --repair --yes --resend-duplicates` reopens it.
 * Rows written before this migration carry neither.
 */
import type { Knex } from 'knex';

const TS = { useTz: true, precision: 3 } as const;

export const deliveryDuplicatesMigration = {
  name: '034-delivery-duplicates',

  async up(knex: Knex): Promise<void> {
    await knex.schema.alterTable('deliveries', (t) => {
      t.timestamp('duplicate_at', TS).nullable();
      t.text('duplicate_repair').nullable();
    });
  },

  async down(knex: Knex): Promise<void> {
    await knex.schema.alterTable('deliveries', (t) => {
      t.dropColumn('duplicate_repair');
      t.dropColumn('duplicate_at');
    });
  },
};
