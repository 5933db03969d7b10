/**
 * `deliveries.revision`: how many times the row was written by an outcome, an attempt, a reopening
 * (reconcile) or an operator's replay or discard. It only grows. A writer that decided from a read
 * (a job giving up on its open deliveries, one ending its deferrals) writes only while the row's
 * revision is still the one it read (ledger/deliveries.ts). `attempts` cannot serve: a reopening
 * and a replay put it back to 0 (what tells a delivery sent afresh), so a write decided before
 * either could find the count it read again and dead-letter a delivery being sent anew.
 * Rows written before this migration hold none (null): read as their `attempts` until their first
 * write (ledger/delivery-revision.ts), so the upgrade adds a column and rewrites no row — on
 * PostgreSQL and SQLite adding a nullable column reads none either.
 */
import type { Knex } from 'knex';

export const deliveryRevisionMigration = {
  name: '041-delivery-revision',

  async up(knex: Knex): Promise<void> {
    await knex.schema.alterTable('deliveries', (t) => {
      t.integer('revision').nullable();
    });
  },

  async down(knex: Knex): Promise<void> {
    await knex.schema.alterTable('deliveries', (t) => {
      t.dropColumn('revision');
    });
  },
};
