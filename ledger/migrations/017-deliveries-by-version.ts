/**
 * `deliveries` keeps the version it delivers by `version_id` only: its `license_id` (a ~76-byte
 * text) and `version` repeated what the version row holds, in every delivery of every version.
 * Reads join the version for them (ledger/rows.ts `DELIVERY_COLUMNS`). The delivery key — the
 * platform's idempotency key, `<licenseId>:<version>:<target>` — is kept as it is.
 *
 * Migration 016 dropped the one index on these columns, so both backends drop them in place.
 */
import type { Knex } from 'knex';

export const deliveriesByVersionMigration = {
  name: '017-deliveries-by-version',

  async up(knex: Knex): Promise<void> {
    // Raw DDL: knex rebuilds a whole SQLite table to drop a column; SQLite (3.35+) and PostgreSQL
    // both drop one in place when no index or constraint names it.
    await knex.raw('alter table deliveries drop column license_id');
    await knex.raw('alter table deliveries drop column version');
  },

  async down(knex: Knex): Promise<void> {
    // SQLite adds a NOT NULL column only with a default; every row gets its value right after.
    await knex.raw("alter table deliveries add column license_id text not null default ''");
    await knex.raw('alter table deliveries add column version integer not null default 0');
    await knex.raw(
      `update deliveries set
         license_id = (select v.license_id from license_versions v where v.version_id = deliveries.version_id),
         version = (select v.version from license_versions v where v.version_id = deliveries.version_id)`,
    );
  },
};
