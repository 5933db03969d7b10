/**
 * `lifecycle_lost_ticks`: daily lifecycle ticks a worker gave up (pipelines/lifecycle/lost-ticks.ts).
 * A tick that stalls out past its copies is lost: the next day's tick expires what it left, but
 * until a tick finishes after it the day's expiries and reminders wait, and `status` names the day
 * (`lifecycle-tick-lost`). One row per lost job, kept once settled as the record of the day.
 */
import type { Knex } from 'knex';

const TS = { useTz: true, precision: 3 } as const;

export const lifecycleLostTicksMigration = {
  name: '035-lifecycle-lost-ticks',

  async up(knex: Knex): Promise<void> {
    await knex.schema.createTable('lifecycle_lost_ticks', (t) => {
      t.text('job_id').primary();
      // The day (`YYYY-MM-DD`, in lifecycle.timeZone) the tick was lost on.
      t.text('day').notNullable();
      t.timestamp('lost_at', TS).notNullable();
      // Why it was given up, by job ids and counts only (workers/stalled-out.ts words it).
      t.text('reason').notNullable();
      // When a tick that started after the loss finished; null while the day waits for one.
      t.timestamp('settled_at', TS).nullable();
    });
  },

  async down(knex: Knex): Promise<void> {
    await knex.schema.dropTableIfExists('lifecycle_lost_ticks');
  },
};
