/**
 * PostgreSQL only: `licenses_pipeline_id_bytes_idx` on `(pipeline, license_id collate "C")`, the
 * order in which a pipeline's licenses are walked beside a platform's listing and for the light
 * check (ledger/reconcile-store.ts `licensesAtTarget`, `pipelineLicenses`). Those walks compare
 * license ids in byte order, as the listing is sorted, and no other index held that order: the
 * primary key is in the database's collation, and even a database created `C.UTF-8` names another
 * collation than "C", so every page read every license of the pipeline and sorted them (a page of
 * 500 at 300,000 licenses under ICU en-US: 424 ms, 20 ms with the index; docs/reconciliation.md,
 * Limits). With the index a page is a range of it, read in order and stopped at the page's end.
 *
 * Upgrading builds the index from one read of `licenses`; writes to `licenses` wait meanwhile
 * (a few seconds a million licenses), reads do not. SQLite's primary key already compares bytes.
 */
import type { Knex } from 'knex';

export const licensesByteOrderIndexMigration = {
  name: '046-licenses-byte-order-index',

  async up(knex: Knex): Promise<void> {
    if (!isPostgres(knex)) return;
    await knex.raw(
      'create index licenses_pipeline_id_bytes_idx on licenses (pipeline, license_id collate "C")',
    );
  },

  async down(knex: Knex): Promise<void> {
    if (!isPostgres(knex)) return;
    await knex.raw('drop index licenses_pipeline_id_bytes_idx');
  },
};

function isPostgres(knex: Knex): boolean {
  return knex.client.config.client === 'pg';
}
