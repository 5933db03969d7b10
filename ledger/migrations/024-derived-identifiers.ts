/**
 * `license_versions.identifier` left empty where the row's `license_id` and `version` give the
 * identifier (ledger/identifier-column.ts): ~85 bytes in every new version, and ~100 more in
 * `license_versions_identifier_uq`, which from here covers non-empty text only. An identifier of
 * (license id, version) is unique by `license_versions_license_version_uq`; one kept as text (a
 * vendor-variant check char, rows written before) is still held unique by the index.
 *
 * Existing rows are not rewritten: they read the same, and the index is rebuilt over them in one
 * statement, at the cost of building it.
 */
import type { Knex } from 'knex';
import { toInt } from '../db.js';
import { readIdentifier } from '../identifier-column.js';

const INDEX = 'license_versions_identifier_uq';
const PAGE = 2000;

export const derivedIdentifiersMigration = {
  name: '024-derived-identifiers',

  async up(knex: Knex): Promise<void> {
    await knex.schema.alterTable('license_versions', (t) => {
      t.dropUnique(['identifier'], INDEX);
    });
    await knex.raw(`create unique index ${INDEX} on license_versions (identifier) where identifier <> ''`);
  },

  async down(knex: Knex): Promise<void> {
    // Every row its identifier as text again, page by page in id order, then the whole index.
    for (let after = 0; ; ) {
      const rows: { version_id: unknown; license_id: string; version: unknown }[] = await knex(
        'license_versions',
      )
        .select('version_id', 'license_id', 'version')
        .where('identifier', '')
        .where('version_id', '>', after)
        .orderBy('version_id')
        .limit(PAGE);
      if (rows.length === 0) break;
      after = toInt(rows[rows.length - 1]?.version_id);
      for (const r of rows) {
        await knex('license_versions')
          .update({ identifier: readIdentifier('', r.license_id, toInt(r.version)) })
          .where('version_id', toInt(r.version_id));
      }
    }
    await knex.raw(`drop index ${INDEX}`);
    await knex.schema.alterTable('license_versions', (t) => {
      t.unique(['identifier'], { indexName: INDEX });
    });
  },
};
