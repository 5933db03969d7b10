/**
 * What a run is doing and whether the process driving it still lives:
 * - `extracted_at`: when the extract stage finished. A run is `done` only later, once every
 *   version it created is signed and every delivery it owes is accepted or dead-lettered;
 * - `owner` (`<host> <pid>`) and `heartbeat_at`: the process driving the run and when it last
 *   said so. A `running` run whose owner is gone is marked `abandoned`.
 * Runs finished before this migration count as extracted when they finished.
 */
import type { Knex } from 'knex';

const TS = { useTz: true, precision: 3 } as const;

export const runProgressMigration = {
  name: '009-run-progress',

  async up(knex: Knex): Promise<void> {
    await knex.schema.alterTable('runs', (t) => {
      t.timestamp('extracted_at', TS).nullable();
      t.text('owner').nullable();
      t.timestamp('heartbeat_at', TS).nullable();
    });
    await knex('runs')
      .whereNot({ state: 'running' })
      .update({ extracted_at: knex.ref('finished_at') });
    // Deliveries by state and age, for the overdue check of `licbridge status`.
    await knex.schema.alterTable('deliveries', (t) => {
      t.index(['state', 'created_at'], 'deliveries_state_created_idx');
    });
  },

  async down(knex: Knex): Promise<void> {
    await knex.schema.alterTable('deliveries', (t) => {
      t.dropIndex(['state', 'created_at'], 'deliveries_state_created_idx');
    });
    await knex.schema.alterTable('runs', (t) => {
      t.dropColumn('heartbeat_at');
      t.dropColumn('owner');
      t.dropColumn('extracted_at');
    });
  },
};
