/**
 * PostgreSQL only: the B-trees whose entries arrive in ascending order fill their leaf pages whole
 * (`fillfactor` 100 instead of the default 90): the versions' primary key (`version_id`, from a
 * sequence), the run's and the pipeline's indexes of versions (a hash, then `version_id`: a run's
 * versions, and a pipeline's, come in id order, so each insert lands after the last of its hash),
 * and the signatures' primary key (`version_id`, `seal_id`: versions are signed mostly in id order).
 *
 * PostgreSQL splits a leaf page where the new entry is the last of its page or of its hash's run of
 * entries at the fillfactor, leaving the rest free for entries that would sort between the ones
 * there. None comes to these indexes: a version id is never reused and a version is signed once
 * by a seal, so a tenth of every page stayed empty for good. At 100,000 rows of the pipeline bench
 * that is ~12 bytes a license (the four indexes 22.6 + 31.7 + 31.7 + 41.7 → 20.4 + 28.7 + 28.7 +
 * 36.8, built at each setting on a copy of a bench ledger; docs/operations.md, Ledger size).
 *
 * The indexes that take keys in random order (license ids, numbers' hashes) are left at the
 * default: there a split halves a page whatever the setting. So is `deliveries_pk`, whose
 * delivery gets a second entry when its outcome is written (a non-HOT update), which the room
 * left on its page may take.
 *
 * Upgrading changes the indexes' settings alone: no row and no entry is written, and pages split
 * from then on are filled; `REINDEX INDEX CONCURRENTLY <name>` (PostgreSQL 12 and later) packs the
 * older pages too, at a time of the operator's choosing. Queries are unchanged, so an older
 * licbridge still running is unaffected. SQLite fills its B-tree pages whole when keys ascend.
 */
import type { Knex } from 'knex';

/** The indexes of ascending keys (names as the earlier migrations and knex made them). */
const ASCENDING = [
  'license_versions_pkey',
  'license_versions_run_idx',
  'license_versions_pipeline_idx',
  'signatures_pk',
] as const;

export const ascendingIndexFillfactorMigration = {
  name: '053-ascending-index-fillfactor',

  async up(knex: Knex): Promise<void> {
    if (!isPostgres(knex)) return;
    for (const index of ASCENDING) await knex.raw('alter index ?? set (fillfactor = 100)', [index]);
  },

  async down(knex: Knex): Promise<void> {
    if (!isPostgres(knex)) return;
    for (const index of ASCENDING) await knex.raw('alter index ?? reset (fillfactor)', [index]);
  },
};

function isPostgres(knex: Knex): boolean {
  return knex.client.config.client === 'pg';
}
