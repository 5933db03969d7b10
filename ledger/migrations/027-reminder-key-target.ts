/**
 * `reminders.key_target`: the notify target a reminder was first written pending for. The
 * gateway's idempotency key is derived from it and the reminder key, and never from the target
 * the config names now: a reminder the gateway took under the old name, with the answer lost to a
 * crash, is sent again under the same key after the target is renamed, and the gateway replays its
 * first answer instead of sending it a second time. Rows written before this migration were keyed
 * on their `target`, which is copied here.
 */
import type { Knex } from 'knex';

export const reminderKeyTargetMigration = {
  name: '027-reminder-key-target',

  async up(knex: Knex): Promise<void> {
    await knex.schema.alterTable('reminders', (t) => {
      t.text('key_target').nullable();
    });
    await knex('reminders').update({ key_target: knex.ref('target') });
  },

  async down(knex: Knex): Promise<void> {
    await knex.schema.alterTable('reminders', (t) => {
      t.dropColumn('key_target');
    });
  },
};
