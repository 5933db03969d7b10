/**
 * `signatures.digest_bytes`: a signature's digest e = SM3(Z ‖ M) as its 32 bytes, with `digest`
 * left '' (ledger/signatures.ts): the hex text took 64 bytes in every signature, the bytes take 32.
 * Only a digest written as lowercase hex, as licbridge writes every digest it computes, is moved,
 * so it reads back as the same text; any other text stays in `digest`, with no bytes. Rows written
 * before keep their text and read as they are; they are not rewritten. Down puts the text back in
 * every row that has bytes, and drops the column.
 */
import type { Knex } from 'knex';

export const signatureDigestBytesMigration = {
  name: '030-signature-digest-bytes',

  async up(knex: Knex): Promise<void> {
    await knex.schema.alterTable('signatures', (t) => {
      t.binary('digest_bytes').nullable();
    });
  },

  async down(knex: Knex): Promise<void> {
    const hex =
      knex.client.config.client === 'pg' ? "encode(digest_bytes, 'hex')" : 'lower(hex(digest_bytes))';
    await knex.raw(`update signatures set digest = ${hex} where digest_bytes is not null`);
    await knex.raw('alter table signatures drop column digest_bytes');
  },
};
