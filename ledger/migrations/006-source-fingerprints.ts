/**
 * Source fingerprints on licenses, for reconciliation by bucket digests (ledger/reconcile-store.ts):
 * - `source_fp`: the fingerprint the connector gave the source row the license was last read from
 *   (connectors/source.ts `Page.fingerprints`), or `-` for a license no source row stands behind
 *   (a deletion answered by the policy, a license adopted from a platform); null before this
 *   migration, until the next full extract fills it;
 * - `source_fp_ctx`: the mapping and catalog versions the row was mapped under, hashed: a
 *   fingerprint says "the same row" only under the same mapping.
 */
import type { Knex } from 'knex';

export const sourceFingerprintsMigration = {
  name: '006-source-fingerprints',

  async up(knex: Knex): Promise<void> {
    await knex.schema.alterTable('licenses', (t) => {
      t.text('source_fp').nullable();
      t.text('source_fp_ctx').nullable();
    });
  },

  async down(knex: Knex): Promise<void> {
    await knex.schema.alterTable('licenses', (t) => {
      t.dropColumn('source_fp_ctx');
      t.dropColumn('source_fp');
    });
  },
};
