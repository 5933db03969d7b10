/**
 * Deliveries an earlier licbridge recorded `rejected` (a platform's rejection, before such answers
 * became dead letters with the platform's reasons) become `dead`, as a rejection is written now.
 * Left as they were, the ledger read them three ways: the backlog and `licbridge status` as ended
 * (counted with the dead letters), a deliver job's claim and a failed send's attempt as open (a job
 * holding the version claimed it and sent the rejected record again), and a run's end as neither (a
 * run holding one never finished); `licbridge dlq list`, `replay` and `discard` take `dead` only,
 * so the dead letter status counted could be neither listed, replayed nor discarded.
 *
 * The reasons stay; the revision moves on, as for any write of the row (migration 041). Down leaves
 * the rows dead: which of them were `rejected` is not kept, and an earlier release reads `dead` too.
 */
import type { Knex } from 'knex';

export const rejectedDeliveriesDeadMigration = {
  name: '049-rejected-deliveries-dead',

  async up(knex: Knex): Promise<void> {
    await knex('deliveries')
      .where({ state: 'rejected' })
      .update({
        state: 'dead',
        revision: knex.raw('coalesce(revision, attempts) + 1'),
        // No lease outlives the upgrade's change of state (delivery-claims.ts takes open rows only).
        claim_owner: null,
        claimed_until: null,
      });
  },

  async down(): Promise<void> {},
};
