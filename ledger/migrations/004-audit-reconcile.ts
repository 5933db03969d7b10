/**
 * The audit chain and the reconciliation reports.
 * - `audit_log`: append-only, one row per act (read, issue, update, revoke, sign, deliver, repair,
 *   dead-letter, replay), each carrying the SM3 hash of the one before it. `seq` is assigned by
 *   licbridge (not a database sequence) so a gap is always a deleted entry, never a rolled-back
 *   insert. The regulations ask for at least 20 years of history: licbridge never prunes it.
 * - `audit_head`: one row, the last `seq` and hash. Writers lock it (FOR UPDATE on PostgreSQL)
 *   inside their transaction, so two writers can never fork the chain.
 * - `reconcile_reports`: every report, kept with its id so an operator can show what was found.
 */
import type { Knex } from 'knex';

const TS = { useTz: true, precision: 3 } as const;

export const auditReconcileMigration = {
  name: '004-audit-reconcile',

  async up(knex: Knex): Promise<void> {
    await knex.schema.createTable('audit_log', (t) => {
      t.bigInteger('seq').primary();
      t.timestamp('at', TS).notNullable();
      t.text('actor').notNullable();
      t.text('action').notNullable();
      t.text('license_id').nullable();
      t.integer('version').nullable();
      t.text('digest').nullable();
      // Ids only (run id, target, delivery key, counts): never names or ID numbers.
      t.text('detail').notNullable();
      t.text('prev_hash').notNullable();
      t.text('hash').notNullable();
      t.index(['license_id'], 'audit_log_license_idx');
      t.index(['at'], 'audit_log_at_idx');
    });

    await knex.schema.createTable('audit_head', (t) => {
      t.integer('id').primary();
      t.bigInteger('seq').notNullable();
      t.text('hash').notNullable();
    });
    await knex('audit_head').insert({ id: 1, seq: 0, hash: GENESIS_HASH });

    await knex.schema.createTable('reconcile_reports', (t) => {
      t.text('report_id').primary();
      t.text('pipeline').notNullable();
      t.text('mode').notNullable();
      t.integer('differences').notNullable();
      t.text('summary').notNullable();
      t.text('report').notNullable();
      t.timestamp('created_at', TS).notNullable();
      t.index(['pipeline', 'created_at'], 'reconcile_reports_pipeline_idx');
    });
  },

  async down(knex: Knex): Promise<void> {
    for (const table of ['reconcile_reports', 'audit_head', 'audit_log']) {
      await knex.schema.dropTableIfExists(table);
    }
  },
};

/** The `prev_hash` of entry 1: 64 zeros, so the chain has a fixed, documented start. */
export const GENESIS_HASH = '0'.repeat(64);
