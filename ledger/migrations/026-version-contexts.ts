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
import { parseJson } from '../db.js';
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
    await knex.raw(
      `update license_versions set
         payload = coalesce((select replace(license_versions.payload, ?, c.payload) from version_contexts c
                              where c.context_id = license_versions.context_id and c.payload <> ''), payload)
        where context_id is not null`,
      [PAYLOAD_MARKER],
    );
    await restoreLineages(knex);
    await knex.raw(
      `update licenses set content_hash = (select v.content_hash from license_versions v
          where v.license_id = licenses.license_id and v.version = licenses.latest_version)
        where content_hash = ''`,
    );
    await knex.raw('alter table license_versions drop column context_id');
    await knex.schema.dropTable('version_contexts');
  },
};

const PAGE = 2000;
/** The lineage fields in the order lineageColumn (ledger/lineage-column.ts) writes them first. */
const WRITER_ORDER = ['s', 'k', 'c', 'C', 'm', 'M'];

/**
 * Each row's lineage text as its writer made it: lineageColumn's JSON.stringify of `s`, `k`,
 * `c`/`C`, `m`/`M`, then the rest in their order, of which the context took `s`, `c`/`C` and
 * `m`/`M` and the row kept the others in order. A JSON merge in SQL (json_patch, jsonb ||) does
 * not give that text back: both reorder keys, and jsonb adds spaces. Both texts were written by
 * JSON.stringify, so parsing them and writing the fields in the writer's order gives its bytes.
 * Page by page in id order, each page one statement, as migration 019.
 */
async function restoreLineages(knex: Knex): Promise<void> {
  const pg = knex.client.config.client === 'pg';
  for (let after = 0; ; ) {
    const rows: { version_id: unknown; lineage: string; shared: string }[] = await knex(
      'license_versions as v',
    )
      .join('version_contexts as c', 'c.context_id', 'v.context_id')
      .select('v.version_id', 'v.lineage', 'c.lineage as shared')
      .where('v.version_id', '>', after)
      .orderBy('v.version_id')
      .limit(PAGE);
    if (rows.length === 0) return;
    after = Number(rows[rows.length - 1]?.version_id);
    const texts = rows.map((r) => ({ i: Number(r.version_id), l: writtenLineage(r.shared, r.lineage) }));
    const source = pg
      ? 'jsonb_to_recordset(?::jsonb) as v(i bigint, l text)'
      : `(select json_extract(value, '$.i') as i, json_extract(value, '$.l') as l from json_each(?)) as v`;
    await knex.raw(
      `update license_versions set lineage = v.l from ${source} where license_versions.version_id = v.i`,
      [JSON.stringify(texts)],
    );
  }
}

function writtenLineage(shared: string, own: string): string {
  // parseJson: a text that does not parse fails without quoting it (a source key may be an ID number).
  const context = parseJson<Record<string, unknown>>(shared);
  const row = parseJson<Record<string, unknown>>(own);
  const text: Record<string, unknown> = {};
  for (const name of WRITER_ORDER) {
    if (Object.hasOwn(context, name)) text[name] = context[name];
    else if (Object.hasOwn(row, name)) text[name] = row[name];
  }
  for (const [name, value] of Object.entries(row)) if (!Object.hasOwn(text, name)) text[name] = value;
  return JSON.stringify(text);
}
