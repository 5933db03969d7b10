/**
 * What every version of a run repeats, kept once (ledger/version-context.ts): the lineage's
 * source, catalog and mapping versions (~115 bytes a version) and the license's `type` and
 * `issuer` members (~150 bytes) go to `version_contexts`, named by `license_versions.context_id`.
 * And `licenses.content_hash`, a copy of its latest version's (64 bytes), is written '': every
 * reader joins that version (ledger/commit-page.ts, ledger/reconcile-store.ts) and takes its own.
 * Rows written before keep their whole text (no context, the hash) and read the same; they are
 * not rewritten. Down puts the text back into every row that names a context, the hash into
 * every license row without one, and drops the table.
 */
import type { Knex } from 'knex';
import { PAYLOAD_MARKER } from '../version-context.js';

export const versionContextsMigration = {
  name: '026-version-contexts',

  async up(knex: Knex): Promise<void> {
    await knex.schema.createTable('version_contexts', (t) => {
      t.increments('context_id');
      t.text('lineage').notNullable();
      t.text('payload').notNullable();
      t.unique(['lineage', 'payload'], { indexName: 'version_contexts_uq' });
    });
    // No foreign key: SQLite cannot drop a column that has one (down). Only the ledger's own
    // writers set it, to a row they have just found or made in the same transaction.
    await knex.schema.alterTable('license_versions', (t) => {
      t.integer('context_id').nullable();
    });
  },

  async down(knex: Knex): Promise<void> {
    const pg = knex.client.config.client === 'pg';
    // The context's fields first, the row's after: jsonb's || and json_patch let the row's win.
    const merged = pg
      ? '(c.lineage::jsonb || license_versions.lineage::jsonb)::text'
      : 'json_patch(c.lineage, license_versions.lineage)';
    await knex.raw(
      `update license_versions set
         payload = coalesce((select replace(license_versions.payload, ?, c.payload) from version_contexts c
                              where c.context_id = license_versions.context_id and c.payload <> ''), payload),
         lineage = (select ${merged} from version_contexts c where c.context_id = license_versions.context_id)
        where context_id is not null`,
      [PAYLOAD_MARKER],
    );
    await knex.raw(
      `update licenses set content_hash = (select v.content_hash from license_versions v
          where v.license_id = licenses.license_id and v.version = licenses.latest_version)
        where content_hash = ''`,
    );
    await knex.raw('alter table license_versions drop column context_id');
    await knex.schema.dropTable('version_contexts');
  },
};
