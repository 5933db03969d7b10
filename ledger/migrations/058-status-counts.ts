/**
 * Counts for `licbridge status` and `/metrics`, kept as the rows change (ledger/status-counts.ts):
 * - `version_counts (pipeline, row_count, owed_files)`: versions, and those owed a license file;
 * - `signature_counts (pipeline, seal_id, row_count)`;
 * - `delivery_counts (pipeline, target, state, row_count, attempts, retries)`;
 * - `license_file_counts (pipeline, row_count)`: files of versions owed one;
 * each with its triggers on `license_versions`, `signatures`, `deliveries` and `license_files`
 * (ledger/status-count-triggers.ts), and on PostgreSQL a `*_count_changes` table the triggers
 * append to.
 *
 * Upgrading fills the counts from the rows once, one grouped count per table (as status and the
 * metrics counted them on every read before). The triggers are made first: on PostgreSQL making a
 * trigger holds writes to its table until the upgrade's transaction ends (reads go on), so no row
 * changes between the count and the triggers. The fill reads every delivery, signature and file with
 * its version once, in that transaction. Down drops the triggers and the tables.
 */
import type { Knex } from 'knex';
import { createStatusCountTriggers, dropStatusCountTriggers } from '../status-count-triggers.js';
import { createStatusCountTables, dropStatusCountTables, fillStatusCounts } from '../status-counts.js';

export const statusCountsMigration = {
  name: '058-status-counts',

  async up(knex: Knex): Promise<void> {
    await createStatusCountTables(knex);
    await createStatusCountTriggers(knex);
    await fillStatusCounts(knex);
  },

  async down(knex: Knex): Promise<void> {
    await dropStatusCountTriggers(knex);
    await dropStatusCountTables(knex);
  },
};
