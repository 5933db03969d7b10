/**
 * PostgreSQL only: `deliveries.carried_attempts` and `carried_retries` (migration 048) become
 * nullable, with no default, and a delivery no round was carried from holds null there, read as 0
 * (ledger/carried-attempts.ts, ledger/status-queries.ts). Two `bigint` zeros took 16 bytes of every
 * delivery row and of each row version an outcome leaves behind, ~17 bytes a license in the
 * pipeline bench (docs/operations.md, Ledger size). The counts read are the same: null and 0 both
 * mean no round carried.
 *
 * Upgrading changes the columns' definitions alone and rewrites no row: rows written before keep
 * their 0. SQLite keeps its columns as they are: an integer 0 there takes no byte of the row (its
 * record header alone says "zero"). Down writes 0 into every null first. An older licbridge still
 * running after the upgrade adds null into its sums and carries: stop it first (docs/operations.md,
 * Upgrades).
 */
import type { Knex } from 'knex';

export const deliveryCarriedUnsetMigration = {
  name: '051-delivery-carried-unset',

  async up(knex: Knex): Promise<void> {
    if (!isPostgres(knex)) return;
    await knex.raw(
      `alter table deliveries
         alter column carried_attempts drop not null, alter column carried_attempts drop default,
         alter column carried_retries drop not null, alter column carried_retries drop default`,
    );
  },

  async down(knex: Knex): Promise<void> {
    if (!isPostgres(knex)) return;
    await knex.raw(
      `update deliveries set carried_attempts = coalesce(carried_attempts, 0),
                             carried_retries = coalesce(carried_retries, 0)
        where carried_attempts is null or carried_retries is null`,
    );
    await knex.raw(
      `alter table deliveries
         alter column carried_attempts set default 0, alter column carried_attempts set not null,
         alter column carried_retries set default 0, alter column carried_retries set not null`,
    );
  },
};

function isPostgres(knex: Knex): boolean {
  return knex.client.config.client === 'pg';
}
