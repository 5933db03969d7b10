/**
 * The ledger reads of `licbridge status` as they were before they were read from the open
 * deliveries and reviews: the baseline of bench/status-counts.ts and the reference the ledger
 * tests compare the new reads with (test/ledger/backlog-held-open-reads, overdue-open-reads).
 * Kept written out here, not built from ledger/, so that a change to the reads under test cannot
 * change their reference too.
 */
import type { Knex } from 'knex';

/** The pipeline's versions the seal has not signed (`v`), as read over every version. */
export function oldUnsigned(k: Knex, seal: string, pipeline: string) {
  return k('license_versions as v')
    .where('v.pipeline', pipeline)
    .whereNotExists(function unsigned() {
      this.select(k.raw('1'))
        .from('signatures as s')
        .whereRaw('s.version_id = v.version_id')
        .andWhere('s.seal_id', seal);
    });
}

/** The pipeline's signed versions (`v`) with no final delivery at the target, as read before. */
export function oldUndelivered(k: Knex, seal: string, pipeline: string, target: string) {
  return k('license_versions as v')
    .join('signatures as s', function signed() {
      this.on('s.version_id', '=', 'v.version_id').andOn('s.seal_id', '=', k.raw('?', [seal]));
    })
    .where('v.pipeline', pipeline)
    .whereNotExists(function final() {
      this.select(k.raw('1'))
        .from('deliveries as d')
        .whereRaw('d.version_id = v.version_id')
        .andWhere('d.target', target)
        .whereIn('d.state', ['accepted', 'dead', 'discarded', 'rejected']);
    });
}

/** `whereExists` / `whereNotExists` body: version `v` is in review (`submitted`) at the target. */
export function oldInReview(k: Knex, target: string) {
  return function reviewing(this: Knex.QueryBuilder) {
    this.select(k.raw('1'))
      .from('deliveries as d')
      .whereRaw('d.version_id = v.version_id')
      .andWhere('d.target', target)
      .andWhere('d.state', 'submitted');
  };
}

/**
 * `modify` callback: version `v` is held behind an earlier version of its license in review at the
 * target, as read before: by the licenses with a version in review, then the earlier version.
 */
export function oldHeldBehindReview(k: Knex, target: string) {
  return (q: Knex.QueryBuilder) =>
    q
      .whereIn('v.license_id', function reviewed() {
        this.select('rv.license_id')
          .from('deliveries as rd')
          .join('license_versions as rv', 'rv.version_id', 'rd.version_id')
          .where('rd.target', target)
          .andWhere('rd.state', 'submitted');
      })
      .whereExists(function heldBehindReview() {
        this.select(k.raw('1'))
          .from('license_versions as pv')
          .join('deliveries as pd', function ofTarget() {
            this.on('pd.version_id', '=', 'pv.version_id').andOn('pd.target', '=', k.raw('?', [target]));
          })
          .whereRaw('pv.license_id = v.license_id')
          .andWhereRaw('pv.version < v.version')
          .andWhere('pd.state', 'submitted');
      });
}

/** `overdueChanges` as it read before migration 059: the pipeline's versions anti-joined whole. */
export function oldOverdueChanges(k: Knex, pipeline: string, target: string, before: string) {
  return k('license_versions as v')
    .where('v.pipeline', pipeline)
    .andWhere('v.created_at', '<', before)
    .whereNotExists(function settled() {
      this.select(k.raw('1'))
        .from('deliveries as d')
        .whereRaw('d.version_id = v.version_id')
        .andWhere('d.target', target)
        .whereIn('d.state', ['accepted', 'discarded'])
        .whereNull('d.duplicate_repair');
    })
    .whereNotExists(function supersededAndAccepted() {
      this.select(k.raw('1'))
        .from('license_versions as v2')
        .join('deliveries as d2', 'd2.version_id', 'v2.version_id')
        .whereRaw('v2.license_id = v.license_id')
        .andWhereRaw('v2.version > v.version')
        .andWhere('d2.target', target)
        .andWhere('d2.state', 'accepted')
        .whereNull('d2.duplicate_repair');
    })
    .count({ n: '*' })
    .min({ oldest: 'v.created_at' })
    .first();
}

/** `overdueDeliveries` as it read before migration 059: no partial index named on SQLite. */
export function oldOverdueDeliveries(k: Knex, target: string, before: string) {
  const open = k('deliveries as d')
    .join('license_versions as v', 'v.version_id', 'd.version_id')
    .where('d.target', target)
    .whereIn('d.state', ['pending', 'submitted'])
    .andWhere('d.created_at', '<', before)
    .select(
      'v.pipeline as pipeline',
      k.raw(`coalesce(d.opened_at, (select max(a.created_at) from dead_letter_actions a
        where a.delivery_key = v.license_id || ':' || v.version || ':' || d.target
          and a.action = 'replay' and a.created_at > d.created_at), d.created_at) as opened_at`),
    )
    .as('o');
  return k
    .from(open)
    .where('o.opened_at', '<', before)
    .groupBy('o.pipeline')
    .select('o.pipeline as pipeline')
    .count({ n: '*' })
    .min({ oldest: 'o.opened_at' });
}
