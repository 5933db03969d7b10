/**
 * `license_versions_continued_idx`: the first versions that continue another license (a renewal,
 * change or transfer-in naming it as `previousIdentifier`), by the license id and the version they
 * name, read as the deliver stage reads them (ledger/delivery-order.ts `namedVersion`): the text
 * before `.<3-digit version>.<check char>`, and those 3 digits, whatever the check char.
 *
 * The count of versions held behind a review (ledger/backlog.ts `heldBehindReviewQuery`) walks from
 * each version reached to the first versions naming it. Through migration 057's index, by the whole
 * identifier, that was one probe per check char the name may end in (36: no SQL computes it, and a
 * range over the identifier's start is no index range under a PostgreSQL collation other than C),
 * for each version reached: 0.33-0.51 s of the count at 50,000 versions with 1 in 20 in review on
 * PostgreSQL. By the license id and version named, it is one probe (held-in-review.ts
 * `continuingFirstVersion`).
 *
 * An index over the stored text, as 057's and for its reasons: no writer of a version needs to fill
 * anything, and the upgrade indexes the versions already written (a backfill by building it). Text
 * functions that never fail: a text cut short or written by hand names no version and stays
 * writable. Partial: first versions naming a predecessor only, a few in a ledger. Upgrading reads
 * every version's text once, in the upgrade's transaction (writes to `license_versions` wait), as
 * 057's did: about a second at 1,000,000 versions.
 */
import type { Knex } from 'knex';
import { previousNamedBy, previousNamedIn } from './057-renewals-by-predecessor.js';

/**
 * The license id and the version (3 digits, as text) the text of version `alias` names as
 * `previousIdentifier`, the index's two expressions: a GB/T 36904 identifier ends in
 * `.<3-digit version>.<check char>` after the license id. PostgreSQL refuses a negative length to
 * substr: `left`/`right`, which take one. Readers use these as they are, so each database matches
 * the index's expressions.
 */
export function continuedBy(pg: boolean, alias: string): { licenseId: string; version: string } {
  const named = previousNamedBy(pg, alias);
  return pg
    ? { licenseId: `left(${named}, -6)`, version: `right(left(${named}, -2), 3)` }
    : { licenseId: `substr(${named}, 1, length(${named}) - 6)`, version: `substr(${named}, -5, 3)` };
}

/** The index's predicate over version `alias`: a first version whose text names a predecessor. */
export function continuingIn(pg: boolean, alias: string): string {
  return `${previousNamedIn(pg, alias)} and ${alias}.version = 1`;
}

export const renewalsByContinuedVersionMigration = {
  name: '063-renewals-by-continued-version',

  async up(knex: Knex): Promise<void> {
    const pg = knex.client.config.client === 'pg';
    // The index names the columns bare: a table alias is no part of an index expression.
    const bare = (sql: string) => sql.replaceAll('license_versions.', '');
    const { licenseId, version } = continuedBy(pg, 'license_versions');
    await knex.raw(
      `create index license_versions_continued_idx on license_versions ((${bare(licenseId)}), (${bare(
        version,
      )})) where ${bare(continuingIn(pg, 'license_versions'))}`,
    );
  },

  async down(knex: Knex): Promise<void> {
    await knex.raw('drop index license_versions_continued_idx');
  },
};
