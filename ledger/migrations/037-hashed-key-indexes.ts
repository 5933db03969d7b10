/**
 * PostgreSQL only: two indexes hold a 64-bit hash of a long text key instead of the text
 * (ledger/hashed-keys.ts, docs/operations.md "Ledger size"):
 * - `license_versions_run_idx` on `(hashtextextended(run_id, 0), version_id)` in place of
 *   `(run_id, version_id)` (migration 023): a run's id is 36 characters or more, in every version;
 *   69 → 32 bytes a license at 20,000 rows of the pipeline bench;
 * - `licenses_number_idx` on `(hashtextextended(number, 0))` in place of `(number)` (migration
 *   028), ~25 bytes a license less.
 * Lookups give the hash for the index and compare the text on the rows it finds: nothing found
 * changes, and each lookup stays on its index (test/ledger/hashed-key-indexes.int.test.ts).
 * `hashtextextended` is the function hash partitioning relies on, stable across releases.
 *
 * Upgrading builds both indexes from one read of each table; dropping the old indexes holds both
 * tables until the upgrade commits, so their reads wait meanwhile as well as their writes.
 * SQLite keeps its indexes on the text: nothing changes there.
 */
import type { Knex } from 'knex';
import { ErrorCodes, LicbridgeError } from '../../core/errors.js';

export const hashedKeyIndexesMigration = {
  name: '037-hashed-key-indexes',

  async up(knex: Knex): Promise<void> {
    if (!isPostgres(knex)) return;
    const res: { rows: { server_version_num: string; server_version: string }[] } = await knex.raw(
      "select current_setting('server_version_num') as server_version_num, current_setting('server_version') as server_version",
    );
    const row = res.rows[0];
    const refused = olderThanHashtextextended(Number(row?.server_version_num), String(row?.server_version));
    if (refused) throw refused;
    await knex.raw('drop index license_versions_run_idx');
    await knex.raw(
      'create index license_versions_run_idx on license_versions (hashtextextended(run_id, 0), version_id)',
    );
    await knex.raw('drop index licenses_number_idx');
    await knex.raw('create index licenses_number_idx on licenses (hashtextextended(number, 0))');
  },

  async down(knex: Knex): Promise<void> {
    if (!isPostgres(knex)) return;
    await knex.raw('drop index licenses_number_idx');
    await knex.raw('create index licenses_number_idx on licenses (number)');
    await knex.raw('drop index license_versions_run_idx');
    await knex.raw('create index license_versions_run_idx on license_versions (run_id, version_id)');
  },
};

/**
 * PostgreSQL 10 has no `hashtextextended` (added in 11): there the index would fail as a function
 * that does not exist, every start, naming neither the migration nor what to do. Said instead.
 */
export function olderThanHashtextextended(versionNum: number, version: string): LicbridgeError | undefined {
  if (versionNum >= 110000) return undefined;
  return new LicbridgeError(
    ErrorCodes.LEDGER,
    `ledger: migrate failed: migration 037-hashed-key-indexes needs PostgreSQL 11 or later (hashtextextended), got PostgreSQL ${version.slice(0, 40)}; upgrade the ledger's PostgreSQL, then start licbridge again; the upgrade changed nothing`,
  );
}

function isPostgres(knex: Knex): boolean {
  return knex.client.config.client === 'pg';
}
