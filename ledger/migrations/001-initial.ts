/**
 * The first ledger schema. Conventions every later migration keeps:
 * - timestamps are `timestamptz` on PostgreSQL and ISO-8601 text on SQLite (see db.ts);
 * - JSON is stored as text on both backends, so what was written is what is read back;
 * - ids of license versions are 64-bit: the log is kept at least 20 years.
 * An audit chain table arrives in a later migration; it will reference `license_versions`,
 * `runs` and `deliveries` by these keys, so the keys here must never be reused or renumbered.
 */
import type { Knex } from 'knex';

const TS = { useTz: true, precision: 3 } as const;

export const initialMigration = {
  name: '001-initial',

  async up(knex: Knex): Promise<void> {
    await knex.schema.createTable('runs', (t) => {
      t.text('run_id').primary();
      t.text('pipeline').notNullable();
      t.text('mode').notNullable();
      t.text('state').notNullable();
      t.integer('read_count').notNullable().defaultTo(0);
      t.integer('created_count').notNullable().defaultTo(0);
      t.integer('unchanged_count').notNullable().defaultTo(0);
      t.integer('quarantined_count').notNullable().defaultTo(0);
      t.timestamp('started_at', TS).notNullable();
      t.timestamp('finished_at', TS).nullable();
      t.text('error').nullable();
      t.index(['pipeline', 'started_at'], 'runs_pipeline_started_idx');
    });

    await knex.schema.createTable('checkpoints', (t) => {
      t.text('pipeline').primary();
      t.text('cursor').nullable();
      t.text('key').notNullable();
      // The run that last advanced it: tells an operator which run a resume continues from.
      t.text('run_id').nullable();
      t.timestamp('updated_at', TS).notNullable();
    });

    await knex.schema.createTable('licenses', (t) => {
      t.text('license_id').primary();
      t.text('pipeline').notNullable();
      t.text('source_key').notNullable();
      t.integer('latest_version').notNullable();
      // The latest version's hash, kept here so a page's change detection is one indexed lookup.
      t.text('content_hash').notNullable();
      t.text('status').notNullable();
      t.timestamp('created_at', TS).notNullable();
      t.timestamp('updated_at', TS).notNullable();
      t.unique(['pipeline', 'source_key'], { indexName: 'licenses_pipeline_source_key_uq' });
    });

    await knex.schema.createTable('license_versions', (t) => {
      t.bigIncrements('version_id');
      t.text('license_id').notNullable().references('license_id').inTable('licenses');
      t.integer('version').notNullable();
      t.text('pipeline').notNullable();
      t.text('identifier').notNullable().unique({ indexName: 'license_versions_identifier_uq' });
      t.text('content_hash').notNullable();
      t.text('status').notNullable();
      t.text('operation').notNullable();
      t.text('payload').notNullable();
      t.text('lineage').notNullable();
      t.text('run_id').notNullable();
      t.timestamp('created_at', TS).notNullable();
      t.unique(['license_id', 'version'], { indexName: 'license_versions_license_version_uq' });
      t.index(['run_id'], 'license_versions_run_idx');
      t.index(['pipeline', 'version_id'], 'license_versions_pipeline_idx');
    });

    await knex.schema.createTable('quarantine', (t) => {
      t.bigIncrements('id');
      t.text('run_id').notNullable();
      t.text('pipeline').notNullable();
      t.text('source_key').notNullable();
      t.text('reasons').notNullable();
      t.timestamp('created_at', TS).notNullable();
      t.unique(['run_id', 'source_key'], { indexName: 'quarantine_run_source_key_uq' });
    });

    await knex.schema.createTable('signatures', (t) => {
      t.bigInteger('version_id').notNullable().references('version_id').inTable('license_versions');
      t.text('seal_id').notNullable();
      t.text('content_hash').notNullable();
      t.text('algorithm').notNullable();
      t.text('digest').notNullable();
      t.binary('signature').notNullable();
      t.text('dist_id').notNullable();
      t.text('signer_kind').notNullable();
      t.text('certificate_serial').nullable();
      t.text('certificate_issuer').nullable();
      t.timestamp('signed_at', TS).notNullable();
      t.primary(['version_id', 'seal_id'], 'signatures_pk');
    });

    await knex.schema.createTable('deliveries', (t) => {
      // `${licenseId}:${version}:${target}` — also the idempotency key sent to the platform.
      t.text('delivery_key').primary();
      t.text('license_id').notNullable();
      t.integer('version').notNullable();
      t.bigInteger('version_id').notNullable().references('version_id').inTable('license_versions');
      t.text('target').notNullable();
      t.text('state').notNullable();
      t.integer('attempts').notNullable().defaultTo(0);
      t.text('platform_id').nullable();
      t.text('reasons').notNullable();
      t.text('receipt').nullable();
      t.text('last_error').nullable();
      t.timestamp('created_at', TS).notNullable();
      t.timestamp('updated_at', TS).notNullable();
      t.index(['target', 'state'], 'deliveries_target_state_idx');
      t.index(['version_id'], 'deliveries_version_idx');
    });
  },

  async down(knex: Knex): Promise<void> {
    // Children before parents, for the foreign keys.
    for (const table of [
      'deliveries',
      'signatures',
      'quarantine',
      'license_versions',
      'licenses',
      'checkpoints',
      'runs',
    ]) {
      await knex.schema.dropTableIfExists(table);
    }
  },
};
