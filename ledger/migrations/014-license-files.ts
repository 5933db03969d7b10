/**
 * License files (docs/ofd.md): one row per license version that has its sealed OFD file — where
 * it is in the file store, its SM3 and size (what the file is), the seal and the signing time.
 * The version id is the key: a version has exactly one file, and a rerun inserts nothing.
 */
import type { Knex } from 'knex';

const TS = { useTz: true, precision: 3 } as const;

export const licenseFilesMigration = {
  name: '014-license-files',

  async up(knex: Knex): Promise<void> {
    await knex.schema.createTable('license_files', (t) => {
      t.bigInteger('version_id').primary().references('version_id').inTable('license_versions');
      t.text('license_id').notNullable();
      t.integer('version').notNullable();
      t.text('pipeline').notNullable();
      // Relative to the file store's root, `/`-separated.
      t.text('path').notNullable();
      t.string('sm3', 64).notNullable();
      t.integer('size').notNullable();
      t.text('seal').notNullable();
      t.timestamp('signed_at', TS).notNullable();
      t.timestamp('created_at', TS).notNullable();
      t.index(['pipeline', 'version_id'], 'license_files_pipeline_idx');
    });
  },

  async down(knex: Knex): Promise<void> {
    await knex.schema.dropTableIfExists('license_files');
  },
};
