/**
 * `quarantine_open_stored_text_idx`: the open quarantine records that may hold an `LB_STORED_TEXT`
 * reason, and no other row. Every sign batch takes the reasons about the versions it signed out of
 * those records (ledger/repair-quarantine.ts closeSignedStoredText), and a batch of a run with none
 * open joined each of its versions to its license and to the quarantine all the same (on SQLite a
 * statement compiled again most batches, its `IN` list of a length of its own). With this index
 * the batch first asks whether any such record is open at all, a look into an index that holds
 * nothing but them (usually nothing), and joins only when one is.
 *
 * The predicate is written out as the query asks it (`resolved_at is null and reasons like '…'`,
 * the pattern a literal, not a bound value): SQLite and PostgreSQL use a partial index only for a
 * query whose conditions hold the index's own. Upgrading reads `quarantine` once to build it; the
 * same on PostgreSQL and SQLite.
 */
import type { Knex } from 'knex';

export const openStoredTextIndexMigration = {
  name: '064-open-stored-text-index',

  async up(knex: Knex): Promise<void> {
    await knex.raw(
      `create index quarantine_open_stored_text_idx on quarantine (id)
        where resolved_at is null and reasons like '%"code":"LB_STORED_TEXT"%'`,
    );
  },

  async down(knex: Knex): Promise<void> {
    await knex.raw('drop index quarantine_open_stored_text_idx');
  },
};
