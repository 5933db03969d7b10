/**
 * `license_versions.lineage` under one-letter names, with a catalog or mapping version that is a
 * SHA-256 in hex kept as its 32 bytes in base64url (ledger/lineage-column.ts): ~80 bytes less in
 * every version. Existing rows are rewritten page by page in id order, each page one statement
 * (SQLite has no base64 in SQL, so the text is made here). Reading gives every row the lineage it
 * was written with, in either form, so a row the rewrite has not reached reads the same.
 *
 * The conversion is lineage-column.ts's: it reads every form the ledger ever wrote, so this
 * migration stays right when that file learns a new one.
 */
import type { Knex } from 'knex';
import { fullNamesLineageColumn, lineageColumn, readLineage } from '../lineage-column.js';

const PAGE = 2000;

export const lineageShortNamesMigration = {
  name: '019-lineage-short-names',

  async up(knex: Knex): Promise<void> {
    await rewrite(knex, lineageColumn);
  },

  async down(knex: Knex): Promise<void> {
    await rewrite(knex, fullNamesLineageColumn);
  },
};

async function rewrite(
  knex: Knex,
  write: (lineage: ReturnType<typeof readLineage>, pipeline: string, runId: string) => string,
): Promise<void> {
  const pg = knex.client.config.client === 'pg';
  for (let after = 0; ; ) {
    const rows: { version_id: unknown; pipeline: string; run_id: string; lineage: string }[] = await knex(
      'license_versions',
    )
      .select('version_id', 'pipeline', 'run_id', 'lineage')
      .where('version_id', '>', after)
      .orderBy('version_id')
      .limit(PAGE);
    if (rows.length === 0) return;
    after = Number(rows[rows.length - 1]?.version_id);
    const changed = rows
      .map((r) => ({
        i: Number(r.version_id),
        l: write(readLineage(r.lineage, r.pipeline, r.run_id), r.pipeline, r.run_id),
        old: r.lineage,
      }))
      .filter((r) => r.l !== r.old)
      .map(({ i, l }) => ({ i, l }));
    if (changed.length === 0) continue;
    const source = pg
      ? 'jsonb_to_recordset(?::jsonb) as v(i bigint, l text)'
      : `(select json_extract(value, '$.i') as i, json_extract(value, '$.l') as l from json_each(?)) as v`;
    await knex.raw(
      `update license_versions set lineage = v.l from ${source} where license_versions.version_id = v.i`,
      [JSON.stringify(changed)],
    );
  }
}
