/**
 * PostgreSQL only: a version's (license id, version) pair is kept unique, and a license's versions
 * are found, through two hash indexes instead of the B-tree `license_versions_license_version_uq`:
 *
 * - `license_versions_license_version_excl`, an exclusion constraint over a hash of
 *   `license_id || '/' || version` (one text per pair: the version's digits hold no `/`, so the
 *   text after the last `/` is the version and the rest the id). A hash index compares the texts
 *   of the entries its hash finds, so two pairs conflict only when they are one pair, as before;
 *   a writer finds the pair taken as `23505` did, now `23P01` (ledger/commit-page.ts).
 * - `license_versions_license_hash_idx`, a hash index of `license_id`, for every lookup of a
 *   license's versions (`license_id = …`, `in (…)`, the join on a license's latest version).
 *
 * The B-tree held each license id whole (77 bytes in a bench license) and took ids in random
 * order, so its pages stood ~70% full: 151 bytes a license at 100,000 rows of the pipeline bench.
 * A hash index entry holds a 4-byte hash and the row's address; both indexes, grown by a run's
 * inserts, take ~31 bytes a license each at `fillfactor` 100 (at the default 75, ~49: a bucket is
 * split before it is full). No lookup walks a license's versions in id order through the index:
 * the two that list in id order sort what they read (ledger/dead-letters.ts, predecessors.ts).
 *
 * Upgrading builds both, drops the B-tree and makes the identifiers' index again after them
 * (checkIdentifiersLast), in the upgrade's transaction: the constraint and the drops lock
 * `license_versions` against reads as well as writes until it commits. An older licbridge still running
 * after it takes a pair found taken (`23P01`, which it does not know) for an error not to retry,
 * and fails the page's run: stop it first (docs/operations.md, Upgrades). SQLite, which has no
 * hash index, keeps its unique index.
 */
import type { Knex } from 'knex';

export const versionPairHashIndexesMigration = {
  name: '056-version-pair-hash-indexes',

  async up(knex: Knex): Promise<void> {
    if (!isPostgres(knex)) return;
    await knex.raw(
      'create index license_versions_license_hash_idx on license_versions using hash (license_id) with (fillfactor = 100)',
    );
    await knex.raw(
      `alter table license_versions add constraint license_versions_license_version_excl
         exclude using hash ((license_id || '/' || version::text) with =) with (fillfactor = 100)`,
    );
    await knex.raw('alter table license_versions drop constraint license_versions_license_version_uq');
    await checkIdentifiersLast(knex);
  },

  async down(knex: Knex): Promise<void> {
    if (!isPostgres(knex)) return;
    await knex.raw(
      'alter table license_versions add constraint license_versions_license_version_uq unique (license_id, version)',
    );
    await knex.raw('alter table license_versions drop constraint license_versions_license_version_excl');
    await knex.raw('drop index license_versions_license_hash_idx');
    await checkIdentifiersLast(knex);
  },
};

/**
 * `license_versions_identifier_uq` (migration 024) made again, after the pair's index. PostgreSQL
 * checks a new row against a table's unique and exclusion indexes in the order they were made, and
 * an identifier kept as text is the pair's own (`<license id>.<version>.<check>`): checked first,
 * a taken pair would fail as a taken identifier, which a page does not read as written meanwhile.
 */
async function checkIdentifiersLast(knex: Knex): Promise<void> {
  await knex.raw('drop index license_versions_identifier_uq');
  await knex.raw(
    "create unique index license_versions_identifier_uq on license_versions (identifier) where identifier <> ''",
  );
}

function isPostgres(knex: Knex): boolean {
  return knex.client.config.client === 'pg';
}
