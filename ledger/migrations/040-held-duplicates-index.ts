/**
 * `deliveries_held_duplicates_idx`: the deliveries a repair holds back as answered duplicates
 * (`duplicate_repair` set, migration 034), indexed apart from the rest.
 *
 * `licbridge status` and `/metrics` count them at every read (ledger/reconcile-duplicates.ts
 * `heldDuplicates`: `duplicate_repair is not null`, by pipeline and target). Without an index
 * that count read the whole of `deliveries`, one row per license and target — millions on a
 * district's ledger — at each status call and each metrics scrape. The index is partial: it holds
 * only the held rows (none, or a handful, on most ledgers), so it costs nothing per delivery and
 * the count reads only them. Both PostgreSQL and SQLite take a partial index for a query whose
 * condition is the index's own.
 *
 * Upgrading reads `deliveries` once to build it (writes to `deliveries` wait meanwhile).
 */
import type { Knex } from 'knex';

export const heldDuplicatesIndexMigration = {
  name: '040-held-duplicates-index',

  async up(knex: Knex): Promise<void> {
    await knex.raw(
      'create index deliveries_held_duplicates_idx on deliveries (version_id) where duplicate_repair is not null',
    );
  },

  async down(knex: Knex): Promise<void> {
    await knex.raw('drop index deliveries_held_duplicates_idx');
  },
};
