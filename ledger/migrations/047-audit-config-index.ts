/**
 * `audit_log_config_idx`: the chain's `config` entries (ledger/config-changes.ts) by `seq`, a
 * partial index holding those entries only. Every process that acts compares its configuration
 * with the last one recorded when it starts; without the index that read walks the chain back
 * from its head to the last `config` entry, the whole chain (millions of entries after some years)
 * while none is recorded yet. PostgreSQL and SQLite both keep partial indexes. Upgrading reads
 * `audit_log` once to build it; it holds a few rows.
 */
import type { Knex } from 'knex';

export const auditConfigIndexMigration = {
  name: '047-audit-config-index',

  async up(knex: Knex): Promise<void> {
    await knex.raw(`create index audit_log_config_idx on audit_log (seq) where action = 'config'`);
  },

  async down(knex: Knex): Promise<void> {
    await knex.raw('drop index audit_log_config_idx');
  },
};
