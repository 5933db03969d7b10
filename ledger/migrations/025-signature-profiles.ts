/**
 * A signature row stops repeating what other rows hold (ledger/signature-profiles.ts), ~100 bytes
 * a signature:
 * - `signature_profiles` keeps each (algorithm, distinguishing id, signer kind) once, and a
 *   signature names its row by `profile_id`, its own three columns left '';
 * - `content_hash` is left '' when it is its version's (`license_versions.content_hash`), as
 *   every signature made by signing a version is.
 * Rows written before read the same: a row without `profile_id` keeps its three columns, and a
 * non-empty `content_hash` is read as it is. They are not rewritten; down puts the text back in
 * every new row and drops the table.
 */
import type { Knex } from 'knex';

export const signatureProfilesMigration = {
  name: '025-signature-profiles',

  async up(knex: Knex): Promise<void> {
    await knex.schema.createTable('signature_profiles', (t) => {
      t.increments('profile_id');
      t.text('algorithm').notNullable();
      t.text('dist_id').notNullable();
      t.text('signer_kind').notNullable();
      t.unique(['algorithm', 'dist_id', 'signer_kind'], { indexName: 'signature_profiles_uq' });
    });
    // No foreign key: SQLite cannot drop a column that has one (down). Only the ledger's own
    // insert (ledger/signatures.ts) sets it, to a row it has just found or made.
    await knex.schema.alterTable('signatures', (t) => {
      t.integer('profile_id').nullable();
    });
  },

  async down(knex: Knex): Promise<void> {
    await knex.raw(
      `update signatures set content_hash =
         (select v.content_hash from license_versions v where v.version_id = signatures.version_id)
        where content_hash = ''`,
    );
    await knex.raw(
      `update signatures set
         algorithm = (select p.algorithm from signature_profiles p where p.profile_id = signatures.profile_id),
         dist_id = (select p.dist_id from signature_profiles p where p.profile_id = signatures.profile_id),
         signer_kind = (select p.signer_kind from signature_profiles p where p.profile_id = signatures.profile_id)
        where profile_id is not null`,
    );
    await knex.raw('alter table signatures drop column profile_id');
    await knex.schema.dropTable('signature_profiles');
  },
};
