/**
 * The ledger of XML export files already read (connectors/xml-files): one row per (source,
 * record path, file name) with the size and SHA-256 of the content that was read. A restart skips
 * a file whose name, size and hash match; a file rewritten under the same name is read again.
 */
import type { Knex } from 'knex';

const TS = { useTz: true, precision: 3 } as const;

export const xmlFilesReadMigration = {
  name: '005-xml-files-read',

  async up(knex: Knex): Promise<void> {
    await knex.schema.createTable('xml_files_read', (t) => {
      t.text('source').notNullable();
      t.text('record_path').notNullable();
      t.text('file_name').notNullable();
      t.bigInteger('size').notNullable();
      t.text('sha256').notNullable();
      t.timestamp('read_at', TS).notNullable();
      t.primary(['source', 'record_path', 'file_name'], 'xml_files_read_pk');
    });
  },

  async down(knex: Knex): Promise<void> {
    await knex.schema.dropTableIfExists('xml_files_read');
  },
};
