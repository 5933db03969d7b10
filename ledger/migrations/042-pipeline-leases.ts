/**
 * `pipeline_leases`: which run holds each pipeline (ledger/pipeline-leases.ts). Two runs of one
 * pipeline at once (a schedule firing while the last run still reads, a `licbridge run` beside a
 * scheduled one) read the source twice; a run now takes the pipeline's lease first, and a second
 * one is refused (`licbridge run`) or its scheduled firing recorded as skipped. One row per
 * pipeline that ever ran, kept after its lease ends for the last skipped firing.
 */
import type { Knex } from 'knex';

const TS = { useTz: true, precision: 3 } as const;

export const pipelineLeasesMigration = {
  name: '042-pipeline-leases',

  async up(knex: Knex): Promise<void> {
    await knex.schema.createTable('pipeline_leases', (t) => {
      t.text('pipeline').primary();
      // The run holding the pipeline, null when none does; `<host> <pid>` of the process renewing it.
      t.text('run_id').nullable();
      t.text('holder').nullable();
      t.timestamp('started_at', TS).nullable();
      // The lease runs out then unless renewed: a killed holder blocks the pipeline no longer.
      t.timestamp('claimed_until', TS).nullable();
      // The last scheduled firing that found the pipeline held: when, its run, and the run holding it.
      t.timestamp('skipped_at', TS).nullable();
      t.text('skipped_run').nullable();
      t.text('skipped_for').nullable();
      t.integer('skips').notNullable().defaultTo(0);
    });
  },

  async down(knex: Knex): Promise<void> {
    await knex.schema.dropTableIfExists('pipeline_leases');
  },
};
