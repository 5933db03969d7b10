/**
 * `licenses.source_order`: where the record a license was last read from stands among its key's
 * records (connectors/source.ts `Page.orders`), for sources that hold a key more than once (export
 * folders). A record older than it is superseded and makes no version, so a late or re-read
 * export never brings an older state back. Null for sources that give no order.
 */
import type { Knex } from 'knex';

export const sourceOrderMigration = {
  name: '007-source-order',

  async up(knex: Knex): Promise<void> {
    await knex.schema.alterTable('licenses', (t) => {
      t.text('source_order').nullable();
    });
  },

  async down(knex: Knex): Promise<void> {
    await knex.schema.alterTable('licenses', (t) => {
      t.dropColumn('source_order');
    });
  },
};
