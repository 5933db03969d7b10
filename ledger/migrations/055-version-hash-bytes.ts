/**
 * `license_versions.content_hash_bytes`: a version's content hash, 64 lowercase hex characters as
 * every writer computes it, is kept as its 32 bytes, `content_hash` left '' (ledger/content-hash-
 * column.ts): ~32 bytes a version on either database. Rows written before keep their text and read
 * the same: the upgrade adds a nullable column and rewrites no row. Down puts the text back into
 * every row that holds bytes, then drops the column. An older licbridge still running after the
 * upgrade reads '' as the hash of every version written since: stop it first (docs/operations.md,
 * Upgrades).
 */
import type { Knex } from 'knex';

export const versionHashBytesMigration = {
  name: '055-version-hash-bytes',

  async up(knex: Knex): Promise<void> {
    await knex.schema.alterTable('license_versions', (t) => {
      t.binary('content_hash_bytes').nullable();
    });
  },

  async down(knex: Knex): Promise<void> {
    const hex =
      knex.client.config.client === 'pg'
        ? "encode(content_hash_bytes, 'hex')"
        : 'lower(hex(content_hash_bytes))';
    await knex.raw(
      `update license_versions set content_hash = ${hex} where content_hash = '' and content_hash_bytes is not null`,
    );
    await knex.schema.alterTable('license_versions', (t) => {
      t.dropColumn('content_hash_bytes');
    });
  },
};
