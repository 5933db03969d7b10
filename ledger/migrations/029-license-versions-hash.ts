/**
 * PostgreSQL only: a version is found by its license through hash indexes instead of the unique
 * B-tree on `(license_id, version)`. Every reader asks for a license's versions by equality (the
 * latest one joined from `licenses`, a delivery key's pair, a license's versions), never for a
 * range of license ids; and license ids arrive in no order (their serial is derived from the source
 * key), so the B-tree's pages split half full: it took 151 bytes a version at 100,000 licenses for
 * a ~77-byte key. A hash index keeps a 4-byte hash code per row (~49 bytes a version with its
 * buckets' free room at that size); two replace it:
 * - `license_versions_license_idx` on `license_id`, for the lookups and joins;
 * - `license_versions_license_version_ex`, an exclusion constraint over `license_id:version` as one
 *   text, which refuses a second row of a (license, version) pair as the unique constraint did: a
 *   hash match is checked against the values themselves, and a writer waits for one in flight. A
 *   license id ends with its serial, never with a colon and digits, so the text names one pair.
 *   The error is `exclusion_violation` (23P01) where it was `unique_violation` (23505); no writer
 *   relies on either (commit-page.ts locks a license's row before writing its next version).
 * SQLite has no hash index, and its B-tree holds this key in ~95 bytes: nothing changes there.
 */
import type { Knex } from 'knex';

const UNIQUE = 'license_versions_license_version_uq';
const LOOKUP = 'license_versions_license_idx';
const EXCLUSION = 'license_versions_license_version_ex';

export const licenseVersionsHashMigration = {
  name: '029-license-versions-hash',

  async up(knex: Knex): Promise<void> {
    if (!isPostgres(knex)) return;
    await knex.raw(`create index ${LOOKUP} on license_versions using hash (license_id)`);
    // `version::text`, not `||` on an integer: the expression of a constraint must be immutable,
    // and text || anything is only stable.
    await knex.raw(
      `alter table license_versions add constraint ${EXCLUSION}
         exclude using hash ((license_id || ':' || version::text) with =)`,
    );
    await knex.raw(`alter table license_versions drop constraint ${UNIQUE}`);
  },

  async down(knex: Knex): Promise<void> {
    if (!isPostgres(knex)) return;
    await knex.raw(`alter table license_versions add constraint ${UNIQUE} unique (license_id, version)`);
    await knex.raw(`alter table license_versions drop constraint ${EXCLUSION}`);
    await knex.raw(`drop index ${LOOKUP}`);
  },
};

function isPostgres(knex: Knex): boolean {
  return knex.client.config.client === 'pg';
}
