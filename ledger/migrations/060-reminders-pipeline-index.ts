/**
 * `reminders_pipeline_state_idx`, on `(pipeline, state, target)`: the reads of one pipeline's
 * reminders find its rows, not every pending row or the whole table. `lifecycle run --pipeline P` reads P's
 * pending reminders (ledger/reminders.ts `pending`, by pipeline since it stopped cutting at the
 * limit over every pipeline): through `reminders_state_target_idx` it read every pending row of
 * every pipeline, 20,050 for P's 50 with another pipeline's gateway down for days. And
 * `licbridge lifecycle reminders --pipeline P` counts P's by state (`countByState`), which read the
 * whole table, every reminder ever sent; the index answers it alone. The pending read takes each
 * target's rows apart (its targets, then each one's rows): the target ends the index, so both find
 * exactly the pipeline's pending rows at the target.
 *
 * Upgrading reads `reminders` once to build it (writes to `reminders` wait meanwhile). The same
 * on PostgreSQL and SQLite.
 */
import type { Knex } from 'knex';

export const remindersPipelineIndexMigration = {
  name: '060-reminders-pipeline-index',

  async up(knex: Knex): Promise<void> {
    await knex.raw('create index reminders_pipeline_state_idx on reminders (pipeline, state, target)');
  },

  async down(knex: Knex): Promise<void> {
    await knex.raw('drop index reminders_pipeline_state_idx');
  },
};
