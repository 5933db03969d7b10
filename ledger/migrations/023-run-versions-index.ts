/**
 * PostgreSQL only: `license_versions_run_idx` on `(run_id, version_id)` instead of `(run_id)`. A
 * run's progress poll counts only the versions after those it has seen final (ledger/runs.ts,
 * `run_id = ? and version_id >= ?`): with the run alone in the index, every poll still visited
 * every version of the run. SQLite's index on `run_id` already holds the row id, which is
 * `version_id`, in that order: nothing changes there.
 */
import type { Knex } from 'knex';

export const runVersionsIndexMigration = {
  name: '023-run-versions-index',

  async up(knex: Knex): Promise<void> {
    if (!isPostgres(knex)) return;
    await knex.schema.alterTable('license_versions', (t) => {
      t.dropIndex(['run_id'], 'license_versions_run_idx');
    });
    await knex.schema.alterTable('license_versions', (t) => {
      t.index(['run_id', 'version_id'], 'license_versions_run_idx');
    });
  },

  async down(knex: Knex): Promise<void> {
    if (!isPostgres(knex)) return;
    await knex.schema.alterTable('license_versions', (t) => {
      t.dropIndex(['run_id', 'version_id'], 'license_versions_run_idx');
    });
    await knex.schema.alterTable('license_versions', (t) => {
      t.index(['run_id'], 'license_versions_run_idx');
    });
  },
};

function isPostgres(knex: Knex): boolean {
  return knex.client.config.client === 'pg';
}
