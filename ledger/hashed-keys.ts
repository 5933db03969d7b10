/**
 * PostgreSQL indexes three text keys by a 64-bit hash of their text, not the text itself (migrations
 * 037, 044): a version's `run_id` (a 36-character UUID, or longer: `repair-<uuid>`) in
 * `license_versions_run_idx`, a license's `number` in `licenses_number_idx`, and a version's
 * `pipeline` in `license_versions_pipeline_idx`. An entry holds 8 bytes where it held the text,
 * ~37, ~25 and ~18 bytes a license less. A license's `pipeline` leads
 * `licenses_pipeline_id_bytes_idx` the same way (migration 046), for the walks in license-id byte
 * order of ledger/reconcile-store.ts (`wherePipelineInIdOrder`, through `whereHashedKey`). A lookup
 * names the hash for the index and the text itself for the rows it finds, so two texts of one hash
 * (which `hashtextextended` allows, rarely) are told apart on the row and never mixed up; only the
 * lookups written here use the indexes, so a new lookup by these columns goes through these
 * helpers. SQLite keeps its indexes on the text: both are plain comparisons there.
 */
import type { Knex } from 'knex';

function isPostgres(k: Knex | Knex.Transaction): boolean {
  return k.client.config.client === 'pg';
}

/** `column = value`, through the hash index on PostgreSQL. */
export function whereHashedKey(
  k: Knex | Knex.Transaction,
  q: Knex.QueryBuilder,
  column: string,
  value: string,
): Knex.QueryBuilder {
  if (isPostgres(k)) q.whereRaw('hashtextextended(??, 0) = hashtextextended(?, 0)', [column, value]);
  return q.where(column, value);
}

/**
 * `column in (values)`, through the hash index on PostgreSQL. There the values travel as one JSON
 * parameter (two bindings, whatever their number), so a caller's chunks sized for one binding a
 * value still fit.
 */
export function whereHashedKeyIn(
  k: Knex | Knex.Transaction,
  q: Knex.QueryBuilder,
  column: string,
  values: readonly string[],
): Knex.QueryBuilder {
  if (!isPostgres(k)) return q.whereIn(column, [...values]);
  const list = JSON.stringify(values);
  return q.whereRaw(
    `hashtextextended(??, 0) = any(array(select hashtextextended(x, 0) from jsonb_array_elements_text(?::jsonb) as x))
       and ?? = any(array(select jsonb_array_elements_text(?::jsonb)))`,
    [column, list, column, list],
  );
}
