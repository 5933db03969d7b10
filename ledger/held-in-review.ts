/**
 * Versions held behind a predecessor the platform still reviews. A license's version n goes to a
 * target only once version n − 1 is accepted there, and its first version, when it continues
 * another license (a renewal, change or transfer-in naming it as `previousIdentifier`), only once
 * the version it names is (pipelines/stages/delivery-order.ts, ledger/delivery-order.ts). So while
 * such a predecessor is `submitted` the versions after it wait on that review too: neither ended
 * nor `submitted` themselves, they are still part of the review wait of `licbridge run` and
 * `licbridge lifecycle run` (pipelines/run-review.ts), not a stall. This is a run's count
 * (run-progress.ts); the pipeline backlog counts them from the open reviews with its own query
 * (backlog.ts `heldBehindReviewQuery`), by a license's own earlier versions only.
 */
import type { Knex } from 'knex';
import { previousNamedBy, previousNamedIn } from './migrations/057-renewals-by-predecessor.js';

/**
 * `whereExists` body: an earlier version of `v`'s license (alias `v`) is `submitted` at `target`,
 * or the version its license's first version continues is. Through the index of a license's
 * versions (PostgreSQL: the hash index of `license_id`, migration 056; SQLite:
 * `license_versions_license_version_uq`) and the deliveries' primary key (version_id, target): a
 * few index probes per version, never a scan of the deliveries.
 *
 * The continued version is read from the first version's text as ledger/delivery-order.ts reads
 * it: a GB/T 36904 identifier ends in `.<3-digit version>.<check char>` after the license id, and
 * the catalog admits no other in `previousIdentifier`. A license continuing itself is no renewal.
 * A renewal of a renewal waits on the review two licenses back through the one between, which is
 * not `submitted`; it is not counted.
 */
export function earlierVersionInReview(k: Knex, target: string) {
  const pg = k.client.config.client === 'pg';
  const named = previousNamedBy(pg, 'fv');
  // Text functions that never fail, as migration 057's expression: a text cut short or written by
  // hand names no version, and must not fail every poll (PostgreSQL refuses a negative length to
  // substr and a cast of no digits). No identifier is longer than its version allows (3 digits).
  const licenseId = pg ? `left(${named}, -6)` : `substr(${named}, 1, length(${named}) - 6)`;
  const version = pg ? `right(left(${named}, -2), 3)` : `substr(${named}, -5, 3)`;
  const pvVersion = pg ? `lpad(cast(pv.version as text), 3, '0')` : `printf('%03d', pv.version)`;
  return function heldBehindReview(this: Knex.QueryBuilder) {
    this.select(k.raw('1'))
      .from('license_versions as pv')
      .join('deliveries as pd', function ofTarget() {
        this.on('pd.version_id', '=', 'pv.version_id').andOn('pd.target', '=', k.raw('?', [target]));
      })
      .whereRaw('pv.license_id = v.license_id')
      .andWhereRaw('pv.version < v.version')
      .andWhere('pd.state', 'submitted')
      .unionAll(function continuedInReview(this: Knex.QueryBuilder) {
        this.select(k.raw('1'))
          .from('license_versions as fv')
          .join('license_versions as pv', function namedByFirst() {
            this.on('pv.license_id', '=', k.raw(licenseId)).andOn(k.raw(`${pvVersion} = ${version}`));
          })
          .join('deliveries as pd', function ofTarget() {
            this.on('pd.version_id', '=', 'pv.version_id').andOn('pd.target', '=', k.raw('?', [target]));
          })
          .whereRaw('fv.license_id = v.license_id')
          .andWhere('fv.version', 1)
          .andWhereRaw(previousNamedIn(pg, 'fv'))
          .andWhereRaw('pv.license_id <> v.license_id')
          .andWhere('pd.state', 'submitted');
      });
  };
}
