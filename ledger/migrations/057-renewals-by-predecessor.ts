/**
 * `license_versions_previous_idx`: the versions that name a predecessor (`previousIdentifier`, a
 * renewal, change or transfer-in), by the identifier they name, so the reminders find a renewal
 * under a new number of the licenses they are about to remind (ledger/predecessors.ts
 * `continuedLicenses`) without reading every version's text. A renewal keeping its number is found
 * through `licenses(number)` (migration 028); one whose unit renumbered it shares nothing else
 * indexed with the license it continues.
 *
 * An index on an expression over the stored text, not a column: the text is the only place the
 * ledger keeps the predecessor, and a column would need every writer of a version to fill it. The
 * expression reads the member as `JSON.stringify` writes it (no spaces) with text functions that
 * never fail on a text that does not parse (a row cut short by a disk or a hand stays writable and
 * readable; JSON functions would throw on it). Partial: a version naming no predecessor (nearly
 * all of them) has no entry. The readers use {@link previousNamedIn} and {@link previousNamedBy}
 * as they are here, so each database matches the index's expression and predicate.
 *
 * Cost at 1,000,000 licenses (one version each, ~510-byte texts, 1 in 33 naming a predecessor,
 * measured with this expression and predicate): building it reads every version's text once, in
 * the upgrade's transaction (writes to `license_versions` wait for it): 1.3 s on SQLite, 0.8 s on
 * PostgreSQL. It holds the 30,303 versions naming a predecessor only: 2.5 MB on SQLite (~84 bytes
 * each), 3.2 MB on PostgreSQL (~106), beside a table of 513 and 538 MB. Each version written since
 * searches its text for the member once; 100,000 versions took 1.16-1.22 s to insert on SQLite
 * with it and 1.00-1.15 s without (two runs each, one sitting).
 */
import type { Knex } from 'knex';

const MEMBER = '"previousIdentifier":"';

/** The partial index's predicate over `payload` of `alias`: the text names a predecessor. */
export function previousNamedIn(pg: boolean, alias: string): string {
  const payload = `${alias}.payload`;
  return pg ? `strpos(${payload}, '${MEMBER}') > 0` : `instr(${payload}, '${MEMBER}') > 0`;
}

/** The indexed expression over `payload` of `alias`: the identifier the text names as its predecessor. */
export function previousNamedBy(pg: boolean, alias: string): string {
  const payload = `${alias}.payload`;
  if (pg) return `substring(${payload} from '${MEMBER}([^"]*)"')`;
  const start = `instr(${payload}, '${MEMBER}') + ${MEMBER.length}`;
  return `substr(${payload}, ${start}, instr(substr(${payload}, ${start}), '"') - 1)`;
}

export const renewalsByPredecessorMigration = {
  name: '057-renewals-by-predecessor',

  async up(knex: Knex): Promise<void> {
    const pg = knex.client.config.client === 'pg';
    // The index names the column bare: a table alias is no part of an index expression.
    const bare = (sql: string) => sql.replaceAll('license_versions.payload', 'payload');
    await knex.raw(
      `create index license_versions_previous_idx on license_versions (${bare(
        `(${previousNamedBy(pg, 'license_versions')})`,
      )}) where ${bare(previousNamedIn(pg, 'license_versions'))}`,
    );
  },

  async down(knex: Knex): Promise<void> {
    await knex.raw('drop index license_versions_previous_idx');
  },
};
