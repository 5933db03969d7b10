/**
 * PostgreSQL only: `licenses_pipeline_id_bytes_idx` (migration 046) holds each license id without
 * the root every identifier starts with, `1.2.156.3005.2.` (GB/T 36904), 15 bytes of every entry:
 * `(hashtextextended(pipeline, 0), <order key> collate "C")`, where the order key of an id is
 *
 * - `B` and the id after the root, for an id that starts with the root (every id licbridge makes);
 * - `A` and the whole id, for an id that sorts before the root in byte order;
 * - `C` and the whole id, for any other (it sorts after every id that starts with the root).
 *
 * The ids that start with the root are one range of byte order, so the key sorts as the ids do,
 * and two ids have one key only when they are one id: a walk compares keys where it compared ids
 * (ledger/reconcile-store.ts, `LICENSE_ORDER_KEY`) and reads the same pages in the same order.
 * At 100,000 licenses of the pipeline bench, built whole, the index takes 96 bytes a license
 * instead of 114; grown by a run's inserts in the ids' random order, ~126 instead of 151
 * (docs/operations.md, Ledger size).
 *
 * Upgrading builds the new index from one read of `licenses` (writes to `licenses` wait meanwhile,
 * ~2 s a million licenses, reads do not) and drops the old. An older licbridge still running
 * after it walks by the id itself, which no index holds in byte order any more, so each page of
 * its walks reads and sorts the pipeline's licenses until it stops: stop it first
 * (docs/operations.md, Upgrades). SQLite's primary key already compares bytes.
 */
import type { Knex } from 'knex';

/**
 * The key as written here when the migration was released; the walks write the same text
 * (reconcile-store.ts), which a test compares, as an expression index serves only its own text.
 */
const KEY = `(case when license_id collate "C" < '1.2.156.3005.2.' then 'A' || license_id
      when left(license_id, 15) = '1.2.156.3005.2.' then 'B' || substr(license_id, 16)
      else 'C' || license_id end)`;

export const licenseOrderWithoutRootMigration = {
  name: '054-license-order-without-root',

  async up(knex: Knex): Promise<void> {
    if (!isPostgres(knex)) return;
    await knex.raw('drop index licenses_pipeline_id_bytes_idx');
    await knex.raw(
      `create index licenses_pipeline_id_bytes_idx on licenses (hashtextextended(pipeline, 0), ${KEY} collate "C")`,
    );
    await analyzeHeld(knex);
  },

  async down(knex: Knex): Promise<void> {
    if (!isPostgres(knex)) return;
    await knex.raw('drop index licenses_pipeline_id_bytes_idx');
    await knex.raw(
      'create index licenses_pipeline_id_bytes_idx on licenses (hashtextextended(pipeline, 0), license_id collate "C")',
    );
    await analyzeHeld(knex);
  },
};

/**
 * The statistics of the index's expressions, as 046 gathers them: without them the planner
 * misjudges the walk and sorts the pipeline for each page. Only on a ledger that holds licenses:
 * an empty table analyzed is taken as empty by every later plan.
 */
async function analyzeHeld(knex: Knex): Promise<void> {
  const held = await knex.raw('select exists (select 1 from licenses) as held');
  if (held.rows[0]?.held === true) await knex.raw('analyze licenses');
}

function isPostgres(knex: Knex): boolean {
  return knex.client.config.client === 'pg';
}
