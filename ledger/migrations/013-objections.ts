/**
 * `objections`: a using unit's objection to a license (rules art. 16: checked within 5 working
 * days, corrected if upheld). One row per objection, opened and then resolved once; each step is
 * also an audit entry in the same transaction.
 *
 * What is kept of an evidence file is its SM3 hash and size only: the file may hold personal data
 * (a scan of a certificate, an ID card), and the ledger needs to prove which file was given, not
 * to hold it. The reason and the resolution note are free text an operator writes; they stay in
 * this table and never go to logs or the audit chain (the chain carries their SM3 digest).
 */
import type { Knex } from 'knex';

const TS = { useTz: true, precision: 3 } as const;

export const objectionsMigration = {
  name: '013-objections',

  async up(knex: Knex): Promise<void> {
    await knex.schema.createTable('objections', (t) => {
      t.bigIncrements('objection_id');
      t.text('license_id').notNullable().references('license_id').inTable('licenses');
      t.text('pipeline').notNullable();
      // The latest version when the objection was opened: a correction is a later version.
      t.integer('version_at_open').notNullable();
      t.text('unit').notNullable();
      t.text('reason').notNullable();
      t.text('evidence_sm3').nullable();
      t.bigInteger('evidence_size').nullable();
      t.text('opened_by').notNullable();
      t.timestamp('opened_at', TS).notNullable();
      // `open`, then `upheld` or `rejected`.
      t.text('state').notNullable();
      t.text('resolved_by').nullable();
      t.timestamp('resolved_at', TS).nullable();
      t.text('note').nullable();
      // Upheld: the version that carries the correction.
      t.integer('corrected_version').nullable();
      // `status` counts open objections by age on every look: an index on the open ones' age.
      t.index(['state', 'opened_at'], 'objections_state_opened_idx');
      t.index(['license_id'], 'objections_license_idx');
    });
  },

  async down(knex: Knex): Promise<void> {
    await knex.schema.dropTableIfExists('objections');
  },
};
