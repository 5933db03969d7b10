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
 * `modify` callback: version `v` is held behind a review at the target, as read before by the
 * pipeline's versions: an earlier version of its license in review (by the licenses with a version
 * in review, then the earlier version), or, its license continuing another (a renewal, change or
 * transfer-in naming it as `previousIdentifier`), the version named is in review or waits behind
 * one the same way, license by license ({@link oldWaitsOnContinued}). The reads under test count
 * both (ledger/backlog.ts, ledger/held-in-review.ts): a reference without the second would compare
 * unlike figures, and time a read that does less.
 */
export function oldHeldBehindReview(k: Knex, target: string) {
  return (q: Knex.QueryBuilder) =>
    q.where(function heldBehindReview() {
      this.where(function behindOwn() {
        this.whereIn('v.license_id', function reviewed() {
          this.select('rv.license_id')
            .from('deliveries as rd')
            .join('license_versions as rv', 'rv.version_id', 'rd.version_id')
            .where('rd.target', target)
            .andWhere('rd.state', 'submitted');
        }).whereExists(function earlierInReview() {
          this.select(k.raw('1'))
            .from('license_versions as pv')
            .join('deliveries as pd', function ofTarget() {
              this.on('pd.version_id', '=', 'pv.version_id').andOn('pd.target', '=', k.raw('?', [target]));
            })
            .whereRaw('pv.license_id = v.license_id')
            .andWhereRaw('pv.version < v.version')
            .andWhere('pd.state', 'submitted');
        });
      }).orWhere(function behindContinued() {
        // The walk only for the licenses whose first version names another.
        this.whereIn('v.license_id', function continuing() {
          this.select('c.license_id')
            .from('license_versions as c')
            .where('c.version', 1)
            .andWhere('c.payload', 'like', '%"previousIdentifier"%');
        }).whereExists(oldWaitsOnContinued(k, target));
      });
    });
}

/**
 * `whereExists` body: the license of `v` continues a version that is in review at the target or
 * waits behind a review there, as the deliver stage orders them: back through each license's first
 * version and the version it names while neither has ended there, until a license with a version
 * in review at or before the one named. The name is read with the databases' JSON functions (the
 * texts here are JSON) and cut as GB/T 36904 writes it: `<license id>.<3-digit version>.<check>`.
 */
export function oldWaitsOnContinued(k: Knex, target: string) {
  const pg = k.client.config.client === 'pg';
  const name = pg
    ? `(f.payload::jsonb ->> 'previousIdentifier')`
    : `json_extract(f.payload, '$.previousIdentifier')`;
  const walk = k.raw(
    `select v.license_id, 0
     union
     select p.license_id, p.version + 1
       from old_waits w
       cross join license_versions f
       cross join license_versions p
      where f.license_id = w.license_id and f.version = 1 and f.payload like '%"previousIdentifier"%'
        and p.license_id = substr(${name}, 1, length(${name}) - 6)
        and p.version = cast(substr(${name}, length(${name}) - 4, 3) as integer)
        and p.license_id <> w.license_id
        and not exists (select 1 from deliveries x where x.version_id in (f.version_id, p.version_id)
          and x.target = ? and x.state in ('accepted', 'dead', 'discarded', 'rejected'))`,
    [target],
  );
  return function waitsOnContinued(this: Knex.QueryBuilder) {
    // In the order written (`cross join`): SQLite otherwise started from every review at the target.
    this.withRecursive('old_waits', ['license_id', 'below'], walk)
      .select(k.raw('1'))
      .from('old_waits as w')
      .crossJoin(k.raw('license_versions as e'))
      .crossJoin(k.raw('deliveries as ed'))
      .whereRaw('e.license_id = w.license_id and e.version < w.below')
      .andWhereRaw('ed.version_id = e.version_id and ed.target = ?', [target])
      .andWhere('ed.state', 'submitted');
  };
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
