/**
 * Versions held behind a predecessor the platform still reviews. A license's version n goes to a
 * target only once version n − 1 is accepted there, and its first version, when it continues
 * another license (a renewal, change or transfer-in naming it as `previousIdentifier`), only once
 * the version it names is (pipelines/stages/delivery-order.ts, ledger/delivery-order.ts). So while
 * such a predecessor is `submitted` the versions after it wait on that review too: neither ended
 * nor `submitted` themselves, they are still part of the review wait of `licbridge run` and
 * `licbridge lifecycle run` (pipelines/run-review.ts), not a stall. This is a run's count
 * (run-progress.ts); the pipeline backlog counts them from the open reviews with its own query
 * (backlog.ts `heldBehindReviewQuery`), finding a renewal from the version it names with the same
 * reading of the identifier the other way round ({@link continuingFirstVersion}).
 */
import type { Knex } from 'knex';
import { previousNamedIn } from './migrations/057-renewals-by-predecessor.js';
import { continuedBy, continuingIn } from './migrations/063-renewals-by-continued-version.js';

/** The `version` of the version `alias` as an identifier writes it: 3 digits. */
function identifierVersion(pg: boolean, alias: string): string {
  return pg ? `lpad(cast(${alias}.version as text), 3, '0')` : `printf('%03d', ${alias}.version)`;
}

/**
 * Condition on the version `alias`: a first version naming version `of` (an alias) as
 * `previousIdentifier`, with whatever check char. The other way round from {@link continuedBy}
 * (migration 063), for a reader that holds the version continued and looks for what continues it:
 * one probe of migration 063's index (`license_versions_continued_idx`, its expressions and
 * predicate as written there) by the license id and version named. The check char follows from the
 * license id and version (ledger/identifier-column.ts) but no SQL computes it: by the whole
 * identifier (migration 057's index) it took one probe per check char the name may end in, 36.
 * Neither this, {@link continuedBy} nor the deliver stage (ledger/delivery-order.ts `namedVersion`)
 * looks at the check char: a renewal naming its predecessor with a wrong one (edited by hand) waits
 * on it all the same.
 */
export function continuingFirstVersion(pg: boolean, alias: string, of: string): string {
  const named = continuedBy(pg, alias);
  // SQLite: `+` drops the column's text affinity. Compared with a text column, an indexed expression
  // (of no affinity) is no index key to its planner, which read the whole index for each version.
  return `${continuingIn(pg, alias)} and ${named.licenseId} = ${pg ? '' : '+'}${of}.license_id
    and ${named.version} = ${identifierVersion(pg, of)}`;
}

/** Delivery states that end a delivery (backlog-counts.ts `FINAL_DELIVERY_STATES`), as an SQL list. */
const FINAL_LIST = `('accepted', 'dead', 'discarded', 'rejected')`;

/**
 * `whereExists` body: version `v` (alias `v`) waits on a review at `target`. An earlier version of
 * its license is `submitted` there, or the version its license's first version continues is, or
 * that version waits on a review the same way: a renewal of a renewal waits on the first license's
 * review through the one between, which is neither `submitted` nor ended, as the deliver stage
 * holds each behind the other (ledger/delivery-order.ts, stages/delivery-order.ts). The walk goes
 * back license by license (`held_waits`: a license and the version below which its versions are
 * waited on) and stops at a version that ended (a dead letter blocks rather than waits; an accepted
 * one lets what follows go) and at a license already walked (a loop, which no ledger writes).
 * Through the index of a license's versions (PostgreSQL: the hash index of `license_id`, migration
 * 056; SQLite: `license_versions_license_version_uq`) and the deliveries' primary key
 * (version_id, target): a few index probes per license of the chain, never a scan of the deliveries.
 *
 * The continued version is read from the first version's text as ledger/delivery-order.ts reads
 * it ({@link continuedBy}). A license continuing itself is no renewal. SQLite: `cross join`
 * keeps the order written (the license walked, its first version by key, the version it names);
 * left to choose, its planner read the whole index of names for each license walked.
 */
export function earlierVersionInReview(k: Knex, target: string) {
  const pg = k.client.config.client === 'pg';
  const named = continuedBy(pg, 'fv');
  const ended = (alias: string) =>
    `not exists (select 1 from deliveries ${alias}d where ${alias}d.version_id = ${alias}.version_id
       and ${alias}d.target = ? and ${alias}d.state in ${FINAL_LIST})`;
  const walk = k.raw(
    `select v.license_id, v.version
     union
     select pv.license_id, pv.version + 1
       from held_waits w
       cross join license_versions fv
       cross join license_versions pv
      where fv.license_id = w.license_id and fv.version = 1
        and pv.license_id = ${named.licenseId} and ${identifierVersion(pg, 'pv')} = ${named.version}
        and ${previousNamedIn(pg, 'fv')} and pv.license_id <> w.license_id
        and ${ended('fv')} and ${ended('pv')}`,
    [target, target],
  );
  return function heldBehindReview(this: Knex.QueryBuilder) {
    // The licenses walked first, then their versions, then those versions' deliveries (`cross
    // join`): SQLite may otherwise start from every review at the target.
    this.withRecursive('held_waits', ['license_id', 'below'], walk)
      .select(k.raw('1'))
      .from('held_waits as w')
      .crossJoin(k.raw('license_versions as pv'))
      .crossJoin(k.raw('deliveries as pd'))
      .whereRaw('pv.license_id = w.license_id and pv.version < w.below')
      .andWhereRaw('pd.version_id = pv.version_id and pd.target = ?', [target])
      .andWhere('pd.state', 'submitted');
  };
}
