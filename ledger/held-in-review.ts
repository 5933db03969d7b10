/**
 * Versions held behind a predecessor the platform still reviews. A license's version n goes to a
 * target only once version n − 1 is accepted there (pipelines/stages/delivery-order.ts), so while
 * an earlier version is `submitted` the later ones wait on that review too: neither ended nor
 * `submitted` themselves, they are still part of the review wait of `licbridge run` and
 * `licbridge lifecycle run` (pipelines/run-review.ts), not a stall.
 */
import type { Knex } from 'knex';

/**
 * `whereExists` body: an earlier version of `v`'s license (alias `v`) is `submitted` at `target`.
 * Through the index of a license's versions (PostgreSQL: the hash index of `license_id`, migration
 * 056; SQLite: `license_versions_license_version_uq`) and the deliveries' primary key
 * (version_id, target): a few index probes per version, never a scan of the deliveries.
 */
export function earlierVersionInReview(k: Knex, target: string) {
  return function heldBehindReview(this: Knex.QueryBuilder) {
    this.select(k.raw('1'))
      .from('license_versions as pv')
      .join('deliveries as pd', function ofTarget() {
        this.on('pd.version_id', '=', 'pv.version_id').andOn('pd.target', '=', k.raw('?', [target]));
      })
      .whereRaw('pv.license_id = v.license_id')
      .andWhereRaw('pv.version < v.version')
      .andWhere('pd.state', 'submitted');
  };
}
