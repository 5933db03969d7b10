/**
 * SQLite: `deliveries_open_idx`, on `(target, state, created_at)` for rows not `accepted`, as
 * PostgreSQL has had since migration 033, so the overdue reads of `licbridge status` and `/metrics`
 * read the open deliveries at a target, not all of them: `overdueChanges` (ledger/deadlines.ts,
 * the deliveries not accepted) and `overdueDeliveries` (ledger/backlog.ts, pending or submitted,
 * written before a time). On SQLite these read the target's entries of
 * `deliveries_target_state_idx`, every delivery the target ever had, or the versions whole.
 *
 * SQLite takes a partial index only for a query naming the index's condition as written (it does
 * not infer `state <> 'accepted'` from `state in ('pending', 'submitted')`): those two queries
 * name it. The indexes SQLite kept at migration 033 stay, for the reads that name a state without
 * it. PostgreSQL: nothing changes.
 *
 * Upgrading reads `deliveries` once to build the index (writes to `deliveries` wait meanwhile); it
 * holds the deliveries not accepted, a few in a hundred on a ledger whose platforms take what is
 * sent. No table is rebuilt, so the status counts' triggers (status-count-triggers.ts) stay.
 */
import type { Knex } from 'knex';

export const sqliteDeliveriesOpenIndexMigration = {
  name: '059-sqlite-deliveries-open-index',

  async up(knex: Knex): Promise<void> {
    if (isPostgres(knex)) return;
    await knex.raw(
      `create index deliveries_open_idx on deliveries (target, state, created_at) where state <> 'accepted'`,
    );
  },

  async down(knex: Knex): Promise<void> {
    if (isPostgres(knex)) return;
    await knex.raw('drop index deliveries_open_idx');
  },
};

function isPostgres(knex: Knex): boolean {
  return knex.client.config.client === 'pg';
}
