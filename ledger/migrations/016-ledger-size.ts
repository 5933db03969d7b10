/**
 * A smaller ledger per license (measured with bench/pipeline.ts; docs/operations.md, "Ledger size"):
 * - `audit_log_license_idx` goes: no query reads the audit log by license (readAudit pages by
 *   `seq` and `at`), and it was the audit log's largest index, ~290 bytes per license;
 * - `deliveries_license_target_version_idx` goes: the order check and every other delivery query
 *   join by `version_id` and `target` (ledger/delivery-order.ts), ~105 bytes per license;
 * - `license_versions.lineage` stops repeating the row's `pipeline` and `run_id`
 *   (ledger/lineage-column.ts): existing rows are rewritten where they equal the columns.
 * Nothing of the audit chain changes: entries are never rewritten, and their hashes cover what is
 * stored. The SQLite file does not shrink by itself; the rows freed here are reused by new ones.
 */
import type { Knex } from 'knex';

export const ledgerSizeMigration = {
  name: '016-ledger-size',

  async up(knex: Knex): Promise<void> {
    await knex.schema.alterTable('audit_log', (t) => {
      t.dropIndex(['license_id'], 'audit_log_license_idx');
    });
    await knex.schema.alterTable('deliveries', (t) => {
      t.dropIndex(['license_id', 'target', 'version'], 'deliveries_license_target_version_idx');
    });
    // One statement per field, each row only where the field equals its column: a lineage that
    // names another pipeline or run (none is written so today) keeps it.
    for (const [field, column] of [
      ['pipeline', 'pipeline'],
      ['runId', 'run_id'],
    ] as const) {
      if (isPostgres(knex)) {
        await knex.raw(
          `update license_versions set lineage = (lineage::jsonb - '${field}')::text
            where lineage::jsonb ->> '${field}' = ${column}`,
        );
      } else {
        await knex.raw(
          `update license_versions set lineage = json_remove(lineage, '$.${field}')
            where json_extract(lineage, '$.${field}') = ${column}`,
        );
      }
    }
  },

  async down(knex: Knex): Promise<void> {
    for (const [field, column] of [
      ['pipeline', 'pipeline'],
      ['runId', 'run_id'],
    ] as const) {
      if (isPostgres(knex)) {
        await knex.raw(
          `update license_versions set lineage = jsonb_set(lineage::jsonb, '{${field}}', to_jsonb(${column}))::text
            where lineage::jsonb -> '${field}' is null`,
        );
      } else {
        await knex.raw(
          `update license_versions set lineage = json_set(lineage, '$.${field}', ${column})
            where json_type(lineage, '$.${field}') is null`,
        );
      }
    }
    await knex.schema.alterTable('deliveries', (t) => {
      t.index(['license_id', 'target', 'version'], 'deliveries_license_target_version_idx');
    });
    await knex.schema.alterTable('audit_log', (t) => {
      t.index(['license_id'], 'audit_log_license_idx');
    });
  },
};

function isPostgres(knex: Knex): boolean {
  return knex.client.config.client === 'pg';
}
