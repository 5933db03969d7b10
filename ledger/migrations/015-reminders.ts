/**
 * Expiry reminders (e-license rules art. 30; docs/lifecycle.md, "Reminders"):
 * - `holder_contacts`: how each license's holder is reached (the mapping's `contact.*`), one row
 *   per license, written with the page that read it. Personal data kept apart from every license
 *   version: it is never signed, never delivered to a platform, never in a job, and read only by
 *   the reminder step.
 * - `reminders`: one row per (license, version, threshold), written `pending` before the message
 *   goes to the gateway and `sent` after it answered. The key is also the idempotency key the
 *   gateway replays its first answer for, so a crash between sending and recording sends nothing
 *   twice: the next tick re-sends the pending row under the same key.
 */
import type { Knex } from 'knex';

const TS = { useTz: true, precision: 3 } as const;

export const remindersMigration = {
  name: '015-reminders',

  async up(knex: Knex): Promise<void> {
    await knex.schema.createTable('holder_contacts', (t) => {
      t.text('license_id').primary().references('license_id').inTable('licenses');
      t.text('pipeline').notNullable();
      // JSON text of the contact (catalog/holder-contact.ts), as the other JSON columns.
      t.text('contact').notNullable();
      t.timestamp('updated_at', TS).notNullable();
    });

    await knex.schema.createTable('reminders', (t) => {
      // `<licenseId>:<version>:<threshold>`: one reminder per (license, version, threshold).
      t.text('reminder_key').primary();
      t.text('license_id').notNullable();
      t.integer('version').notNullable();
      t.text('pipeline').notNullable();
      t.text('target').notNullable();
      t.integer('threshold').notNullable();
      // The `validTo` the reminder announces (`YYYY-MM-DD`) and the days left on the day it was due.
      t.text('valid_to').notNullable();
      t.integer('days_left').notNullable();
      t.text('due_day').notNullable();
      // pending → sent | skipped | dropped (ledger/reminders.ts says when each is written).
      t.text('state').notNullable();
      t.integer('attempts').notNullable().defaultTo(0);
      t.text('message_id').nullable();
      t.text('reason').nullable();
      t.timestamp('created_at', TS).notNullable();
      t.timestamp('updated_at', TS).notNullable();
      t.timestamp('sent_at', TS).nullable();
      // A license's reminders are looked up together (is this threshold for this validTo done?).
      t.index(['license_id', 'valid_to'], 'reminders_license_valid_to_idx');
      t.index(['state', 'target'], 'reminders_state_target_idx');
    });
  },

  async down(knex: Knex): Promise<void> {
    await knex.schema.dropTableIfExists('reminders');
    await knex.schema.dropTableIfExists('holder_contacts');
  },
};
