/**
 * `licenses.source_fp_bytes`: a license's source fingerprint, 32 lowercase hex digits as the
 * source connectors give it, is kept as its 16 bytes, `source_fp` left '' (ledger/fingerprint-
 * column.ts): ~16 bytes a license on PostgreSQL at 100,000 rows of the pipeline bench, as much on
 * SQLite. Any other text ('-', rows written before) stays in `source_fp` and reads the same; the
 * bucket digests sum the text either form gives (ledger/reconcile-store.ts). The upgrade adds a
 * nullable column and rewrites no row. Down puts the text back into every row that holds bytes,
 * then drops the column. An older licbridge still running after the upgrade reads '' for a
 * fingerprint written since: stop it first (docs/operations.md, Upgrades).
 */
import type { Knex } from 'knex';

export const sourceFingerprintBytesMigration = {
  name: '052-source-fingerprint-bytes',

  async up(knex: Knex): Promise<void> {
    await knex.schema.alterTable('licenses', (t) => {
      t.binary('source_fp_bytes').nullable();
    });
  },

  async down(knex: Knex): Promise<void> {
    const hex =
      knex.client.config.client === 'pg' ? "encode(source_fp_bytes, 'hex')" : 'lower(hex(source_fp_bytes))';
    await knex.raw(
      `update licenses set source_fp = ${hex} where source_fp = '' and source_fp_bytes is not null`,
    );
    await knex.schema.alterTable('licenses', (t) => {
      t.dropColumn('source_fp_bytes');
    });
  },
};
