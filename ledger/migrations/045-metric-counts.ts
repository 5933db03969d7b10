/**
 * What two counters of `/metrics` count, kept where they cannot be missed or taken back:
 * - `quarantine_reason_counts (pipeline, code, row_count)`: quarantined rows per reason code, added
 *   to in each page's transaction (ledger/quarantine-reason-counts.ts) — `rows_quarantined_total`;
 * - `runs.abandoned_at`: when a run was first ended `abandoned`, never cleared, so a run taken up
 *   again and finished still counts in `runs_failed_total`.
 *
 * Upgrading fills the counts from the quarantine records once (one record, once per distinct code,
 * as the metric counted them before), in pages by id, and `abandoned_at` of the runs ended abandoned.
 * Down drops the table and the column.
 */
import type { Knex } from 'knex';
import { storedReasonCodes } from '../quarantine-reason-counts.js';

const TS = { useTz: true, precision: 3 } as const;
const PAGE = 5000;

export const metricCountsMigration = {
  name: '045-metric-counts',

  async up(knex: Knex): Promise<void> {
    await knex.schema.createTable('quarantine_reason_counts', (t) => {
      t.text('pipeline').notNullable();
      t.text('code').notNullable();
      t.bigInteger('row_count').notNullable().defaultTo(0);
      t.primary(['pipeline', 'code'], 'quarantine_reason_counts_pk');
    });
    const totals = new Map<string, { pipeline: string; code: string; row_count: number }>();
    for (let lastId = 0; ; ) {
      const rows: { id: unknown; pipeline: string; reasons: string }[] = await knex('quarantine')
        .select('id', 'pipeline', 'reasons')
        .where('id', '>', lastId)
        .orderBy('id')
        .limit(PAGE);
      for (const r of rows) {
        lastId = Number(r.id);
        for (const code of storedReasonCodes(r.reasons)) {
          const key = `${r.pipeline}\u0000${code}`;
          const entry = totals.get(key) ?? { pipeline: r.pipeline, code, row_count: 0 };
          entry.row_count += 1;
          totals.set(key, entry);
        }
      }
      if (rows.length < PAGE) break;
    }
    const all = [...totals.values()];
    for (let at = 0; at < all.length; at += 100) {
      await knex('quarantine_reason_counts').insert(all.slice(at, at + 100));
    }

    // Last: on PostgreSQL ALTER TABLE locks `runs` against every reader until the migration's
    // transaction ends. Taken before the read of the quarantine records above (seconds for each
    // million records), it kept status, serve and every process still running waiting that long.
    await knex.schema.alterTable('runs', (t) => {
      t.timestamp('abandoned_at', TS).nullable();
    });
    await knex('runs')
      .where({ state: 'abandoned' })
      .update({ abandoned_at: knex.raw('coalesce(finished_at, started_at)') });
  },

  async down(knex: Knex): Promise<void> {
    await knex.schema.alterTable('runs', (t) => {
      t.dropColumn('abandoned_at');
    });
    await knex.schema.dropTable('quarantine_reason_counts');
  },
};
