/**
 * A run's export files read with elements the config names in none of their records (read as
 * null, connectors/xml-files/carried.ts), counted where the run's other counts are:
 * - `runs.absent_files`: how many such files the run read, each once;
 * - `runs.absent_elements`: the distinct element names, a JSON array of at most 50 (names only,
 *   never a value); null while the run has read no such file;
 * - `run_absent_files`: the files counted, by run, so that a read resumed inside a file (a retried
 *   extract job) telling of the file again counts nothing (ledger/run-absent-elements.ts).
 * Runs written before count no such file. Down drops the table and the columns.
 */
import type { Knex } from 'knex';

export const runAbsentElementsMigration = {
  name: '031-run-absent-elements',

  async up(knex: Knex): Promise<void> {
    await knex.schema.alterTable('runs', (t) => {
      t.integer('absent_files').notNullable().defaultTo(0);
      t.text('absent_elements').nullable();
    });
    await knex.schema.createTable('run_absent_files', (t) => {
      t.text('run_id').notNullable();
      t.text('file').notNullable();
      t.primary(['run_id', 'file'], 'run_absent_files_pk');
    });
  },

  async down(knex: Knex): Promise<void> {
    await knex.schema.dropTable('run_absent_files');
    await knex.schema.alterTable('runs', (t) => {
      t.dropColumn('absent_elements');
      t.dropColumn('absent_files');
    });
  },
};
