/**
 * PostgreSQL only: `license_versions_pipeline_idx` holds a 64-bit hash of the pipeline's name with
 * the version id, `(hashtextextended(pipeline, 0), version_id)`, in place of `(pipeline,
 * version_id)` (ledger/hashed-keys.ts, as migration 037 did for a version's run): a name of 22
 * characters, in every version's entry, took 50 bytes a license at 100,000 rows of the pipeline
 * bench, the hash 32. The lookups of a pipeline's versions (what is unsigned, undelivered, overdue,
 * without a file) give the hash for the index and compare the name on the rows it finds, so they
 * find what they found and page in version order as before.
 *
 * Upgrading builds the index from one read of `license_versions`; dropping the old index holds the
 * table until the upgrade commits, so its reads wait meanwhile as well as its writes.
 * SQLite keeps its index on the text: nothing changes there.
 */
import type { Knex } from 'knex';

export const versionsPipelineHashIndexMigration = {
  name: '044-versions-pipeline-hash-index',

  async up(knex: Knex): Promise<void> {
    if (!isPostgres(knex)) return;
    await knex.raw('drop index license_versions_pipeline_idx');
    await knex.raw(
      'create index license_versions_pipeline_idx on license_versions (hashtextextended(pipeline, 0), version_id)',
    );
  },

  async down(knex: Knex): Promise<void> {
    if (!isPostgres(knex)) return;
    await knex.raw('drop index license_versions_pipeline_idx');
    await knex.raw('create index license_versions_pipeline_idx on license_versions (pipeline, version_id)');
  },
};

function isPostgres(knex: Knex): boolean {
  return knex.client.config.client === 'pg';
}
