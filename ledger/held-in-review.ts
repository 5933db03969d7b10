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
import { previousNamedBy, previousNamedIn } from './migrations/057-renewals-by-predecessor.js';

/** The `version` of the version `alias` as an identifier writes it: 3 digits. */
function identifierVersion(pg: boolean, alias: string): string {
  return pg ? `lpad(cast(${alias}.version as text), 3, '0')` : `printf('%03d', ${alias}.version)`;
}

/**
 * The license id and the version (3 digits, as text) the text of version `alias` names as
 * `previousIdentifier`: a GB/T 36904 identifier ends in `.<3-digit version>.<check char>` after the
 * license id, and the catalog admits no other there. Text functions that never fail, as migration
 * 057's expression: a text cut short or written by hand names no version, and must not fail every
 * poll (PostgreSQL refuses a negative length to substr and a cast of no digits). No identifier is
 * longer than its version allows (3 digits).
 */
function continuedVersion(pg: boolean, alias: string): { licenseId: string; version: string } {
  const named = previousNamedBy(pg, alias);
  return pg
    ? { licenseId: `left(${named}, -6)`, version: `right(left(${named}, -2), 3)` }
    : { licenseId: `substr(${named}, 1, length(${named}) - 6)`, version: `substr(${named}, -5, 3)` };
}

/** Check chars of GB/T 36904 (ISO/IEC 7064 MOD 37,36, the vendor variant's alike): one of [0-9A-Z]. */
const CHECK_CHARS = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ';

/**
 * Condition on the version `alias`: it names version `of` (an alias) as `previousIdentifier`, with
 * whatever check char. The other way round from {@link continuedVersion}, for a reader that holds
 * the version continued and looks for what continues it: by migration 057's index
 * (`license_versions_previous_idx`, its expression and predicate as written there), one probe per
 * check char the identifier may end in. The check char follows from the license id and version
 * (ledger/identifier-column.ts) but no SQL computes it, and a range over the identifier's start is
 * no index range under a PostgreSQL collation other than C. Neither this, {@link continuedVersion}
 * nor the deliver stage (ledger/delivery-order.ts `namedVersion`) looks at the check char: a renewal
 * naming its predecessor with a wrong one (edited by hand) waits on it all the same.
 */
export function continuingFirstVersion(pg: boolean, alias: string, of: string): string {
  const start = `${of}.license_id || '.' || ${identifierVersion(pg, of)} || '.'`;
  const names = [...CHECK_CHARS].map((c) => `${start} || '${c}'`).join(', ');
  // PostgreSQL: `= any(array[…])`, one index condition. An `in` list naming a column of the same
  // query level (a version reached in backlog.ts's walk) it expands into 36 `or`ed conditions, a
  // bitmap of 36 index scans.
  const named = pg ? `= any(array[${names}])` : `in (${names})`;
  return `${previousNamedIn(pg, alias)} and ${previousNamedBy(pg, alias)} ${named}`;
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
 * it ({@link continuedVersion}). A license continuing itself is no renewal. SQLite: `cross join`
 * keeps the order written (the license walked, its first version by key, the version it names);
 * left to choose, its planner read the whole index of names for each license walked.
 */
export function earlierVersionInReview(k: Knex, target: string) {
  const pg = k.client.config.client === 'pg';
  const named = continuedVersion(pg, 'fv');
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
