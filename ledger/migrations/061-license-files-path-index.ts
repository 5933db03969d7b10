/**
 * `license_files_path_idx`, on `(path, version_id)`, the path in byte order (`collate "C"` on
 * PostgreSQL; SQLite's default collation is binary): the files the ledger lists in the order of
 * their paths, a keyset page at a time (ledger/license-files.ts `pathsPage`). `verify --all` walks
 * the file store in the order of its paths and reads the ledger's beside it to find the files no
 * row lists (pipelines/verify/unlisted-files.ts); without the index each page read and sorted
 * every file row. The version id ends it so a page edge falls between two rows even were two to
 * list one path.
 *
 * Upgrading reads `license_files` once to build it (writes to `license_files` wait meanwhile).
 */
import type { Knex } from 'knex';

export const licenseFilesPathIndexMigration = {
  name: '061-license-files-path-index',

  async up(knex: Knex): Promise<void> {
    const path = knex.client.config.client === 'pg' ? 'path collate "C"' : 'path';
    await knex.raw(`create index license_files_path_idx on license_files (${path}, version_id)`);
  },

  async down(knex: Knex): Promise<void> {
    await knex.raw('drop index license_files_path_idx');
  },
};
