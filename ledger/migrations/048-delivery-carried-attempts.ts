/**
 * `deliveries.carried_attempts` and `deliveries.carried_retries`: the tries, and the tries beyond
 * the first, of a delivery's earlier rounds. A replay (`dlq replay`) or a repair's reopening puts
 * `attempts` back to 0 so the delivery starts clean; /metrics summed `attempts` into the counters
 * `delivery_attempts_total` and `delivery_retries_total`, which then went down, and Prometheus reads
 * a counter going down as a restart from 0: `increase()` and `rate()` counted every attempt still
 * held as new, a false burst of retries on each replay. The reset now moves them here first
 * (ledger/dead-letters.ts, ledger/reconcile-repairs.ts), and the counters add both.
 *
 * Rounds put back before this migration are not known: the counters start from what the rows hold.
 */
import type { Knex } from 'knex';

export const deliveryCarriedAttemptsMigration = {
  name: '048-delivery-carried-attempts',

  async up(knex: Knex): Promise<void> {
    // A constant default: PostgreSQL adds the columns without rewriting the table.
    await knex.schema.alterTable('deliveries', (t) => {
      t.bigInteger('carried_attempts').notNullable().defaultTo(0);
      t.bigInteger('carried_retries').notNullable().defaultTo(0);
    });
  },

  async down(knex: Knex): Promise<void> {
    await knex.schema.alterTable('deliveries', (t) => {
      t.dropColumn('carried_retries');
      t.dropColumn('carried_attempts');
    });
  },
};
