/**
 * A delivery's receipt kept once per distinct text (ledger/delivery-receipts.ts): the platform
 * answers a batch with one receipt for all its keys, which every delivery of the batch repeated
 * (~70 bytes a delivery, the largest column of the row). `delivery_receipts` holds each text up
 * to 500 characters once, named by `deliveries.receipt_id`; a longer one stays in
 * `deliveries.receipt`. Every receipt reads back as the same text.
 *
 * Existing rows are converted: their receipts go to the shared table and the rows name them. On
 * PostgreSQL that writes each such row anew (the old versions go at the next vacuum), in one
 * statement; deliveries wait meanwhile. Down puts every text back into its row.
 */
import type { Knex } from 'knex';
import { SHARED_RECEIPT_MAX } from '../delivery-receipts.js';

export const deliveryReceiptsMigration = {
  name: '036-delivery-receipts',

  async up(knex: Knex): Promise<void> {
    await knex.schema.createTable('delivery_receipts', (t) => {
      t.increments('receipt_id');
      t.text('receipt').notNullable();
      t.unique(['receipt'], { indexName: 'delivery_receipts_uq' });
    });
    // No foreign key: SQLite cannot drop a column that has one (down). Only the ledger's own
    // writers set it, to a row they have just found or made in the same transaction.
    await knex.schema.alterTable('deliveries', (t) => {
      t.integer('receipt_id').nullable();
    });
    await knex.raw(
      `insert into delivery_receipts (receipt)
         select distinct receipt from deliveries where receipt is not null and length(receipt) <= ?`,
      [SHARED_RECEIPT_MAX],
    );
    await knex.raw(
      `update deliveries set
         receipt_id = (select r.receipt_id from delivery_receipts r where r.receipt = deliveries.receipt),
         receipt = null
        where receipt is not null and length(receipt) <= ?`,
      [SHARED_RECEIPT_MAX],
    );
  },

  async down(knex: Knex): Promise<void> {
    // A row holding its own text keeps it: that is the one read (delivery-receipts.ts).
    await knex.raw(
      `update deliveries set
         receipt = (select r.receipt from delivery_receipts r where r.receipt_id = deliveries.receipt_id)
        where receipt_id is not null and receipt is null`,
    );
    await knex.raw('alter table deliveries drop column receipt_id');
    await knex.schema.dropTable('delivery_receipts');
  },
};
