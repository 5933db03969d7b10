/**
 * `holder_contacts_pipeline_idx`, on `(pipeline)`: each tick deletes the contacts of the pipelines
 * whose mappings read no contact any more (ledger/holder-contacts.ts purgeHolderContacts,
 * `where pipeline in (…)`), every tick, whether they hold any or not. Migration 060 indexed the
 * pipeline of `reminders` only: the delete read every contact of every pipeline, 20,050 for a
 * pipeline's 50, on SQLite under the write lock that every page commit waits for
 * (test/ledger/purge-contacts-pipeline-index).
 *
 * Upgrading reads `holder_contacts` once to build it (writes to `holder_contacts` wait meanwhile).
 * The same on PostgreSQL and SQLite.
 */
import type { Knex } from 'knex';

export const holderContactsPipelineIndexMigration = {
  name: '062-holder-contacts-pipeline-index',

  async up(knex: Knex): Promise<void> {
    await knex.raw('create index holder_contacts_pipeline_idx on holder_contacts (pipeline)');
  },

  async down(knex: Knex): Promise<void> {
    await knex.raw('drop index holder_contacts_pipeline_idx');
  },
};
