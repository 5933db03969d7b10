/**
 * `signatures.digest_bytes`: a signature's digest, 64 hex characters as every signer writes it, is
 * kept as its 32 bytes, `digest` left '' (ledger/digest-column.ts): ~31 bytes a signature row, and
 * on PostgreSQL six more rows to a page (37 → 43), ~31 bytes a license at 100,000 rows of the
 * pipeline bench. Rows written before keep their text and read the same: the upgrade adds a
 * nullable column and rewrites no row (neither database reads the table for it). Down puts the text
 * back into every row that holds bytes, then drops the column.
 */
import type { Knex } from 'knex';

export const signatureDigestBytesMigration = {
  name: '043-signature-digest-bytes',

  async up(knex: Knex): Promise<void> {
    await knex.schema.alterTable('signatures', (t) => {
      t.binary('digest_bytes').nullable();
    });
  },

  async down(knex: Knex): Promise<void> {
    const hex =
      knex.client.config.client === 'pg' ? "encode(digest_bytes, 'hex')" : 'lower(hex(digest_bytes))';
    await knex.raw(`update signatures set digest = ${hex} where digest = '' and digest_bytes is not null`);
    await knex.schema.alterTable('signatures', (t) => {
      t.dropColumn('digest_bytes');
    });
  },
};
