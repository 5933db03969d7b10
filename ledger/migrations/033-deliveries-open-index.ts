/**
 * PostgreSQL: `deliveries_open_idx`, on `(target, state, created_at)` for rows not `accepted`, in
 * place of `deliveries_state_created_idx` and `deliveries_target_state_idx`, which held every row
 * (docs/operations.md, "Ledger size").
 *
 * Only two queries look deliveries up by state: the dead letters (`state = 'dead'`, by target or
 * not) and the overdue check of `licbridge status` (`pending`/`submitted` at a target, created
 * before a time); each names a state other than `accepted`, so the planner takes this index for
 * both. Every other query finds a delivery by its key, `(version_id, target)`. Once delivered, a
 * row leaves the index: PostgreSQL writes an update of an indexed column as a new row version with
 * an entry in every index, so each outcome put one more entry in both old indexes; a row turned
 * `accepted` gets none here, and the entry its `pending` version left goes at vacuum, or sooner
 * when its index page fills (entries of dead rows are deleted before a page is split). At 20,000
 * rows of the pipeline bench, `deliveries` goes from 443 to 404 bytes a license.
 *
 * SQLite updates a row in place and its planner does not see that `state = 'dead'` implies
 * `state <> 'accepted'`: it keeps the two indexes; nothing changes there.
 *
 * Upgrading reads `deliveries` once to build the index (0.3 s for 1,000,000 rows in memory on the
 * bench machine); writes to `deliveries` wait meanwhile. Dropping the old indexes is immediate.
 */
import type { Knex } from 'knex';

export const deliveriesOpenIndexMigration = {
  name: '033-deliveries-open-index',

  async up(knex: Knex): Promise<void> {
    if (!isPostgres(knex)) return;
    await knex.raw(
      `create index deliveries_open_idx on deliveries (target, state, created_at) where state <> 'accepted'`,
    );
    await knex.schema.alterTable('deliveries', (t) => {
      t.dropIndex(['state', 'created_at'], 'deliveries_state_created_idx');
      t.dropIndex(['target', 'state'], 'deliveries_target_state_idx');
    });
  },

  async down(knex: Knex): Promise<void> {
    if (!isPostgres(knex)) return;
    await knex.schema.alterTable('deliveries', (t) => {
      t.index(['target', 'state'], 'deliveries_target_state_idx');
      t.index(['state', 'created_at'], 'deliveries_state_created_idx');
    });
    await knex.raw('drop index deliveries_open_idx');
  },
};

function isPostgres(knex: Knex): boolean {
  return knex.client.config.client === 'pg';
}
