/**
 * PostgreSQL: a page's new versions and the contexts they name (version-context.ts) written by one
 * statement, where the page took three round trips (the context's insert, its id read back, the
 * versions' insert) and knex compiled ~12 bind parameters a row.
 *
 * The rows travel as one JSON parameter and are read by `json_to_recordset` (not jsonb: the text
 * is read once, not converted). The contexts missing are made in a data-modifying CTE with
 * `on conflict do nothing`, and those already there are read by the same statement, as
 * contextIds (version-context.ts) makes and reads them: no context row is locked or rewritten.
 * (`on conflict do update` returned every row, but rewrote each context every page and held it
 * locked to the page's commit: any other writer of the context — a lifecycle tick, a repair,
 * another pipeline's page — waited for that commit, and two pages naming two contexts in opposite
 * orders deadlocked.) A context another transaction committed after this statement's snapshot
 * was taken is neither made nor seen: then the statement inserts no version, and the caller
 * writes the page the bound way, whose statements see it.
 *
 * Rows are inserted in page order (`with ordinality`, `order by`): a license twice in one page
 * gets version 1, then version 2, with version ids in that order, as the multi-row insert gave.
 */
import type { Knex } from 'knex';
import { contentHashColumns } from './content-hash-column.js';
import type { VersionRow } from './rows.js';
import type { VersionContext } from './version-context.js';

/**
 * A version row as commitPage builds it: the columns of a stored row (rows.ts) it writes, its
 * number and time as written, and `context`, which becomes its `context_id`.
 */
export type PgVersionRow = Omit<
  VersionRow,
  | 'version_id'
  | 'version'
  | 'created_at'
  | 'content_hash_bytes'
  | 'context_id'
  | 'context_lineage'
  | 'context_payload'
> & {
  version: number;
  created_at: string;
  context: VersionContext | null;
};

export interface InsertedVersion {
  version_id: unknown;
  license_id: string;
  version: unknown;
}

const COLUMNS = [
  'license_id',
  'version',
  'pipeline',
  'identifier',
  'content_hash',
  'content_hash_bytes',
  'status',
  'operation',
  'payload',
  'lineage',
  'run_id',
  'created_at',
] as const;

const TYPES: Record<(typeof COLUMNS)[number], string> = {
  license_id: 'text',
  version: 'integer',
  pipeline: 'text',
  identifier: 'text',
  content_hash: 'text',
  // bytea's own input form, `\x` and hex, read from the JSON text (content-hash-column.ts).
  content_hash_bytes: 'bytea',
  status: 'text',
  operation: 'text',
  payload: 'text',
  lineage: 'text',
  run_id: 'text',
  created_at: 'timestamptz',
};

const SQL = `with cs as (
    select * from json_to_recordset(?::json) as cs(i integer, lineage text, payload text)
  ), made as (
    insert into version_contexts (lineage, payload) select lineage, payload from cs
    on conflict (lineage, payload) do nothing
    returning context_id, lineage, payload
  ), ids as (
    select cs.i, coalesce(m.context_id, v.context_id) as context_id
      from cs left join made m on m.lineage = cs.lineage and m.payload = cs.payload
              left join version_contexts v on v.lineage = cs.lineage and v.payload = cs.payload
  )
  insert into license_versions (${COLUMNS.join(', ')}, context_id)
  select ${COLUMNS.map((c) => `r.${c}`).join(', ')}, (select ids.context_id from ids where ids.i = r.c)
    from rows from (json_to_recordset(?::json) as (${COLUMNS.map((c) => `${c} ${TYPES[c]}`).join(', ')}, c integer))
         with ordinality as r(${COLUMNS.join(', ')}, c, n)
   where not exists (select 1 from ids where ids.context_id is null)
   order by r.n
  returning version_id, license_id, version`;

/**
 * JSON text that PostgreSQL reads otherwise than a bound text parameter: `\u0000` (text holds no
 * NUL) and a lone surrogate's escape (a bound string is sent as UTF-8, the surrogate replaced).
 * Such a page goes the bound way, so it fails or stores exactly as before.
 */
const READ_OTHERWISE = /\\u0000|\\ud[89a-f]/i;

/** True when PostgreSQL would read this JSON text's strings otherwise than bound text (READ_OTHERWISE). */
export function readsOtherwiseAsJson(text: string): boolean {
  return READ_OTHERWISE.test(text);
}

/**
 * Inserts `rows` with their contexts, returning each row's `version_id`; `null`, having inserted
 * no version, when the JSON text would read otherwise than bound values (READ_OTHERWISE) or a
 * context was committed by another transaction while the statement ran: for the caller's bound insert.
 */
export async function insertVersionsPg(
  trx: Knex.Transaction,
  rows: readonly PgVersionRow[],
): Promise<InsertedVersion[] | null> {
  const contexts = new Map<string, { i: number; lineage: string; payload: string }>();
  const out: Record<string, unknown>[] = [];
  for (const { context, ...row } of rows) {
    let c: number | null = null;
    if (context) {
      const key = `${context.lineage}\u0000${context.payload}`;
      let known = contexts.get(key);
      if (known === undefined) {
        known = { i: contexts.size, lineage: context.lineage, payload: context.payload };
        contexts.set(key, known);
      }
      c = known.i;
    }
    const { content_hash, content_hash_bytes } = contentHashColumns(row.content_hash);
    out.push({
      ...row,
      content_hash,
      content_hash_bytes: content_hash_bytes && `\\x${content_hash_bytes.toString('hex')}`,
      c,
    });
  }
  const contextText = JSON.stringify([...contexts.values()]);
  const rowText = JSON.stringify(out);
  if (readsOtherwiseAsJson(rowText) || readsOtherwiseAsJson(contextText)) return null;
  const res: { rows: InsertedVersion[] } = await trx.raw(SQL, [contextText, rowText]);
  // Every row or none: none when a context was neither made nor seen by the statement.
  return res.rows.length === 0 ? null : res.rows;
}
