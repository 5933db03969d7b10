/**
 * Seal keys the ledger has seen sign, so a signature stays verifiable after its seal's key is
 * rotated: verification finds the key (and certificate) by the signature's seal id and
 * certificate serial, or by trying the seal's keys when the seal has no certificate.
 */
import type { Knex } from 'knex';

const TS = { useTz: true, precision: 3 } as const;

export const signingKeysMigration = {
  name: '002-signing-keys',

  async up(knex: Knex): Promise<void> {
    await knex.schema.createTable('signing_keys', (t) => {
      // Hex SM3 of the key's SubjectPublicKeyInfo DER.
      t.text('key_id').notNullable();
      t.text('seal_id').notNullable();
      t.text('signer_kind').notNullable();
      t.text('dist_id').notNullable();
      t.text('public_key').notNullable();
      t.text('certificate').nullable();
      t.text('certificate_serial').nullable();
      t.text('certificate_issuer').nullable();
      t.timestamp('not_before', TS).nullable();
      t.timestamp('not_after', TS).nullable();
      t.timestamp('registered_at', TS).notNullable();
      // `certificate_serial` or '' (primary-key columns cannot be null): one row per (key,
      // certificate), so a renewed certificate for the same key is a new row.
      t.text('certificate_serial_key').notNullable();
      t.primary(['seal_id', 'key_id', 'certificate_serial_key'], 'signing_keys_pk');
    });
  },

  async down(knex: Knex): Promise<void> {
    await knex.schema.dropTableIfExists('signing_keys');
  },
};
