/**
 * `deliveries` keyed by `(version_id, target)` instead of its delivery key. The key
 * (`<licenseId>:<version>:<target>`, the platform's idempotency key) stays the contract's name for
 * a delivery; it is computed from the version row when read and resolved to the version when
 * given (ledger/delivery-keys.ts), never stored: it was a ~90-byte text in every row and again in
 * the primary key's index, for one row per version and target. The old `version_id` index goes
 * too: it is the new key's prefix.
 *
 * Both backends copy the table into its new shape (a primary key cannot be swapped in place on
 * SQLite; on PostgreSQL the copy also gives back the dropped column's bytes at once).
 */
import type { Knex } from 'knex';

const TS = { useTz: true, precision: 3 } as const;

/**
 * The columns both shapes share, as migrations 001, 003 and 017 left them. Each shape is a new
 * table filled from the old one and renamed into place.
 */
const SHARED = [
  'version_id',
  'target',
  'state',
  'attempts',
  'platform_id',
  'reasons',
  'receipt',
  'last_error',
  'created_at',
  'updated_at',
  'claim_owner',
  'claimed_until',
] as const;

function sharedColumns(t: Knex.CreateTableBuilder): void {
  t.bigInteger('version_id')
    .notNullable()
    .references('version_id')
    .inTable('license_versions')
    .withKeyName('deliveries_version_id_foreign');
  t.text('target').notNullable();
  t.text('state').notNullable();
  t.integer('attempts').notNullable().defaultTo(0);
  t.text('platform_id').nullable();
  t.text('reasons').notNullable();
  t.text('receipt').nullable();
  t.text('last_error').nullable();
  t.timestamp('created_at', TS).notNullable();
  t.timestamp('updated_at', TS).notNullable();
  t.text('claim_owner').nullable();
  t.timestamp('claimed_until', TS).nullable();
}

export const deliveriesByVersionTargetMigration = {
  name: '018-deliveries-by-version-target',

  async up(knex: Knex): Promise<void> {
    await knex.schema.createTable('deliveries_next', (t) => {
      sharedColumns(t);
      t.primary(['version_id', 'target'], 'deliveries_pk');
    });
    await knex.raw(
      `insert into deliveries_next (${SHARED.join(', ')}) select ${SHARED.join(', ')} from deliveries`,
    );
    await knex.schema.dropTable('deliveries');
    await knex.schema.renameTable('deliveries_next', 'deliveries');
    await knex.schema.alterTable('deliveries', (t) => {
      t.index(['target', 'state'], 'deliveries_target_state_idx');
      t.index(['state', 'created_at'], 'deliveries_state_created_idx');
    });
  },

  async down(knex: Knex): Promise<void> {
    await knex.schema.createTable('deliveries_next', (t) => {
      t.text('delivery_key').notNullable();
      sharedColumns(t);
      t.primary(['delivery_key'], 'deliveries_pkey');
    });
    await knex.raw(
      `insert into deliveries_next (delivery_key, ${SHARED.join(', ')})
       select v.license_id || ':' || cast(v.version as text) || ':' || d.target, ${SHARED.map((c) => `d.${c}`).join(', ')}
         from deliveries d join license_versions v on v.version_id = d.version_id`,
    );
    await knex.schema.dropTable('deliveries');
    await knex.schema.renameTable('deliveries_next', 'deliveries');
    await knex.schema.alterTable('deliveries', (t) => {
      t.index(['target', 'state'], 'deliveries_target_state_idx');
      t.index(['version_id'], 'deliveries_version_idx');
      t.index(['state', 'created_at'], 'deliveries_state_created_idx');
    });
  },
};
