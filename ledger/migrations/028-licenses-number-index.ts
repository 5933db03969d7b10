/**
 * `licenses_number_idx` on `(number)` in place of `licenses_pipeline_number_idx` on
 * `(pipeline, number)`. Its one reader, the predecessor lookup (ledger/predecessors.ts), asks for
 * numbers within a few pipelines: a license number is the department's own and nearly unique, so
 * the number alone finds the few rows and the pipeline is checked on them. The pipeline's name
 * (~23 bytes) was repeated in the index for every license; on PostgreSQL the index, filled in
 * license id order, took 74 bytes a license, and 41 bytes on `(number)` alone when built whole
 * (60 on both columns).
 */
import type { Knex } from 'knex';

export const licensesNumberIndexMigration = {
  name: '028-licenses-number-index',

  async up(knex: Knex): Promise<void> {
    await knex.schema.alterTable('licenses', (t) => {
      t.index(['number'], 'licenses_number_idx');
    });
    await knex.schema.alterTable('licenses', (t) => {
      t.dropIndex(['pipeline', 'number'], 'licenses_pipeline_number_idx');
    });
  },

  async down(knex: Knex): Promise<void> {
    await knex.schema.alterTable('licenses', (t) => {
      t.index(['pipeline', 'number'], 'licenses_pipeline_number_idx');
    });
    await knex.schema.alterTable('licenses', (t) => {
      t.dropIndex(['number'], 'licenses_number_idx');
    });
  },
};
