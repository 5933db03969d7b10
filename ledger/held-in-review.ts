/**
 * Versions held behind a predecessor the platform still reviews. A license's version n goes to a
 * target only once version n − 1 is accepted there, and its first version, when it continues
 * another license (a renewal, change or transfer-in naming it as `previousIdentifier`), only once
 * the version it names is (pipelines/stages/delivery-order.ts, ledger/delivery-order.ts). So while
 * such a predecessor is `submitted` the versions after it wait on that review too: neither ended
 * nor `submitted` themselves, they are still part of the review wait of `licbridge run` and
 * `licbridge lifecycle run` (pipelines/run-review.ts), not a stall. Both a run's count
 * (run-progress.ts) and the pipeline backlog's (backlog.ts `heldBehindReviewQuery`) read them from
 * the open reviews ({@link heldVersionsAt}), finding a renewal from the version it names
 * ({@link continuingFirstVersion}) as the deliver stage reads the name.
 */
import type { Knex } from 'knex';
import { FINAL_DELIVERY_STATES } from './backlog-counts.js';
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

/**
 * The versions held behind a review at `target`, each once however many reviews reach it, as a
 * query from `held_reach` (alias `h`) joined with each version reached (alias `v`): the callers add
 * which versions they count (a pipeline's signed ones, a run's open ones) and that they are neither
 * final nor in review themselves. Read from the reviews open at the target (`deliveries_open_idx`,
 * migrations 033 and 059), all walked at once, so neither planner reads the versions whole to join
 * them with the reviews, nor runs a walk per version. `state <> 'accepted'`: the index's condition
 * as written, for SQLite's planner to take it.
 *
 * From each review: its license's versions after it (PostgreSQL: the hash index of `license_id`,
 * migration 056; SQLite: `license_versions_license_version_uq`), and the first versions naming the
 * review's version or a later one (`license_versions_continued_idx`, migration 063,
 * {@link continuingFirstVersion}), whose licenses' versions all wait, and so on through them while
 * they wait (a renewal of a renewal): the deliver stage holds each behind the other
 * (ledger/delivery-order.ts, stages/delivery-order.ts). A version that ended stops the walk (a
 * dead letter blocks rather than waits; an accepted one lets what follows go).
 */
export function heldVersionsAt(k: Knex, target: string): Knex.QueryBuilder {
  const pg = k.client.config.client === 'pg';
  const notEnded = (alias: string) =>
    `not exists (select 1 from deliveries ${alias}d where ${alias}d.version_id = ${alias}.version_id
       and ${alias}d.target = ? and ${alias}d.state in (${FINAL_DELIVERY_STATES.map(() => '?').join(', ')}))`;
  // `held_reach`: a license reached (`license_id`), from which review's license (`origin`), and from
  // which of its versions on (`after`: the review's version; 0 for a license reached through the one
  // it continues). Every review at the target starts a walk, all in one: a version reached and not
  // ended leads to the licenses whose first version names it and is not ended either. A license
  // reached twice from one origin is one row (`union`); a loop ends so. SQLite: `cross join` keeps
  // the order written, and the first versions are probed by the name of each version reached
  // (`indexed by`): left to choose, its planner built an index of every license's first version for
  // each walk, or read the whole index of names.
  const reached = k.raw(
    `select rv.license_id, rv.license_id, rv.version
       from deliveries rd
       cross join license_versions rv
      where rd.target = ? and rd.state <> 'accepted' and rd.state = 'submitted'
        and rv.version_id = rd.version_id
     union
     select r.origin, fv.license_id, 0
       from held_reach r
       cross join license_versions nv
       cross join license_versions fv${pg ? '' : ' indexed by license_versions_continued_idx'}
      where nv.license_id = r.license_id and nv.version >= r.after
        and ${continuingFirstVersion(pg, 'fv', 'nv')}
        and fv.version = 1 and fv.license_id <> nv.license_id
        and ${notEnded('nv')} and ${notEnded('fv')}`,
    [target, target, ...FINAL_DELIVERY_STATES, target, ...FINAL_DELIVERY_STATES],
  );
  // The versions held: of a license under review, those after its review; of a license reached
  // through the one it continues, all, unless the walk came back to the license it started from (a
  // loop, which no ledger writes: its versions before its review wait on nothing). Each once,
  // however many reviews reach it.
  const held = k
    .from('held_reach as r')
    .crossJoin(
      k.raw(
        pg ? 'license_versions as v' : 'license_versions as v indexed by license_versions_license_version_uq',
      ),
    )
    .whereRaw('v.license_id = r.license_id and v.version > r.after')
    .andWhereRaw('(r.after > 0 or r.origin <> r.license_id)')
    .distinct('v.version_id');
  return (
    k
      .withRecursive('held_reach', ['origin', 'license_id', 'after'], reached)
      .from(held.as('h'))
      // SQLite: `cross join` keeps the order written, the versions reached first, then each by key;
      // left to choose, its planner read every version of the pipeline and probed the ones reached.
      .crossJoin(k.raw('license_versions as v'))
      .whereRaw('v.version_id = h.version_id')
  );
}
