/**
 * `quarantine.resolved_at`: when a quarantined source key later mapped cleanly (ledger/commit-page.ts
 * sets it for every open record of the key). The table keeps one record per (run, key) as history;
 * the worklist (`licbridge quarantine list`) shows the keys with an open record — the present.
 *
 * Records written before this migration are closed where the key's license changed after the
 * record was written; a key whose license did not change since stays open until it is read again.
 */
import type { Knex } from 'knex';

const TS = { useTz: true, precision: 3 } as const;

export const quarantineResolvedMigration = {
  name: '010-quarantine-resolved',

  async up(knex: Knex): Promise<void> {
    await knex.schema.alterTable('quarantine', (t) => {
      t.timestamp('resolved_at', TS).nullable();
      // The worklist groups open records by key; the resolve step finds them by pipeline and key.
      t.index(['pipeline', 'source_key'], 'quarantine_pipeline_key_idx');
    });
    await knex.raw(
      `update quarantine set resolved_at = (
         select l.updated_at from licenses l
          where l.pipeline = quarantine.pipeline and l.source_key = quarantine.source_key)
        where exists (
         select 1 from licenses l
          where l.pipeline = quarantine.pipeline and l.source_key = quarantine.source_key
            and l.updated_at > quarantine.created_at)`,
    );
  },

  async down(knex: Knex): Promise<void> {
    await knex.schema.alterTable('quarantine', (t) => {
      t.dropIndex(['pipeline', 'source_key'], 'quarantine_pipeline_key_idx');
      t.dropColumn('resolved_at');
    });
  },
};
