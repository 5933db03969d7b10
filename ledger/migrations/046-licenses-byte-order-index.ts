/**
 * PostgreSQL only: `licenses_pipeline_id_bytes_idx` on `(hashtextextended(pipeline, 0), license_id
 * collate "C")`, a pipeline's licenses in the order in which they are walked beside a platform's
 * listing and a page at a time for the light check, the area counts and a full check of a source
 * without bucket digests (ledger/reconcile-store.ts `licensesAtTarget`, `pipelineLicensePage`).
 * Those walks compare license ids in byte order, as the listing is sorted, and
 * no other index held that order: the primary key is in the database's collation, and even a
 * database created `C.UTF-8` names another collation than "C", so every page read every license of
 * the pipeline and sorted them (a page of 500 at 300,000 licenses under ICU en-US: 424 ms, 20 ms
 * with the index; docs/reconciliation.md, Limits). With the index a page is a range of it, read in
 * order and stopped at the page's end.
 *
 * It holds a 64-bit hash of the pipeline's name, as migration 044 did (ledger/hashed-keys.ts): the
 * walks give the hash for the index and compare the name on the rows they find. The name of 22
 * characters in every entry took ~26 bytes a license more in the pipeline bench. Keying the
 * primary key itself in byte order (`license_id collate "C"`, and every column joined to it) adds
 * nothing but holds every pipeline's licenses: a walk of one read through the others', 300,000
 * rows for one page beside a pipeline of 300,000.
 *
 * Upgrading builds the index from one read of `licenses` and gathers the statistics of its hash
 * (without them the planner misjudges the walk and sorts the pipeline for each page until the
 * table is next analyzed; a new, empty ledger is not analyzed); writes to `licenses` wait meanwhile (~2 s a million licenses), reads do
 * not. SQLite's primary key already compares bytes.
 */
import type { Knex } from 'knex';

export const licensesByteOrderIndexMigration = {
  name: '046-licenses-byte-order-index',

  async up(knex: Knex): Promise<void> {
    if (!isPostgres(knex)) return;
    await knex.raw(
      'create index licenses_pipeline_id_bytes_idx on licenses (hashtextextended(pipeline, 0), license_id collate "C")',
    );
    // Only a ledger that holds licenses: analyzing an empty table records it as empty, and the
    // planner then reads every later query on a new ledger as over no rows (other plans' tests,
    // test/ledger/page-reads-plan and hashed-key-indexes, check a ledger never analyzed).
    const held = await knex.raw('select exists (select 1 from licenses) as held');
    if (held.rows[0]?.held === true) await knex.raw('analyze licenses');
  },

  async down(knex: Knex): Promise<void> {
    if (!isPostgres(knex)) return;
    await knex.raw('drop index licenses_pipeline_id_bytes_idx');
  },
};

function isPostgres(knex: Knex): boolean {
  return knex.client.config.client === 'pg';
}
