/**
 * What a quarantine record's reasons become when a record of the same (run, key) is written again
 * (the table keeps one record per run and key, migration 001): the upsert's `reasons`, as SQL over
 * the stored record (`quarantine`) and the one written (`excluded`), the same on SQLite and
 * PostgreSQL.
 *
 * Two kinds of reasons share a record. A read's (mapping, catalog): the run's later read of the row
 * replaces its earlier read's. A stored version's (`LB_STORED_TEXT`, written by a sign or deliver
 * job, a repair or the lifecycle tick in the run they work for): no read says anything of it. One
 * replacing the other lost what a person had to fix — the source row's fault, or the ledger's text.
 * A closed record (its fault fixed) is reopened with the reasons written alone.
 */

/** A license whose stored text does not read or does not match its content hash. */
export const CODE_STORED_TEXT = 'LB_STORED_TEXT';

/**
 * The stored record's `LB_STORED_TEXT` reasons, joined with commas, as JSON texts; null for none.
 * The reasons are JSON text (a JSON array written by `JSON.stringify`). PostgreSQL's `json` refuses
 * the escape of a lone surrogate, which a mapping reason's value may hold (pg-page-quarantine.ts),
 * and so failed the page, every try: each surrogate escape is read as U+FFFD's. Only the elements
 * it drops may hold one; those kept are licbridge's own words.
 */
function storedTextReasons(dialect: string): string {
  const readable = String.raw`regexp_replace(quarantine.reasons, '\\u[dD][89a-fA-F][0-9a-fA-F]{2}', '\\ufffd', 'g')`;
  return dialect === 'postgres'
    ? `(select string_agg(e::text, ',') from json_array_elements(${readable}::json) e where e->>'code' = '${CODE_STORED_TEXT}')`
    : `(select group_concat(value, ',') from json_each(quarantine.reasons) where json_extract(value, '$.code') = '${CODE_STORED_TEXT}')`;
}

/**
 * A read's record written over the run's record of the key: the read's reasons, then the stored
 * record's `LB_STORED_TEXT` ones while it is open. The `like` keeps the JSON parse to the records
 * that may hold one.
 */
export function readReasonsSql(dialect: string): string {
  const kept = storedTextReasons(dialect);
  return `case when quarantine.resolved_at is null and quarantine.reasons like '%${CODE_STORED_TEXT}%' and ${kept} is not null
    then '[' || case when excluded.reasons = '[]' then '' else substr(excluded.reasons, 2, length(excluded.reasons) - 2) || ',' end || ${kept} || ']'
    else excluded.reasons end`;
}

/**
 * The SET clauses closing a record of a key whose row mapped cleanly (commit-page.ts,
 * pg-page-quarantine.ts), its first parameter the time: the read fixed what a read said, so the
 * record closes; its `LB_STORED_TEXT` reasons stay, alone, and keep it open. A clean read writes
 * no version when the content is unchanged, and then the corrupt text is still the license's;
 * closed, the record left the worklist with the text still broken, and the next sign job, tick or
 * repair meeting it wrote a fresh record and audit entry. A repair or tick ending the license
 * from its restored text, or a signature of the restored version, closes those
 * (repair-quarantine.ts).
 */
export function cleanReadCloseSql(dialect: string): string {
  const kept = storedTextReasons(dialect);
  const keeps = `quarantine.reasons like '%${CODE_STORED_TEXT}%' and ${kept} is not null`;
  const at = dialect === 'postgres' ? '?::timestamptz' : '?';
  return `resolved_at = case when ${keeps} then null else ${at} end,
    reasons = case when ${keeps} then '[' || ${kept} || ']' else quarantine.reasons end`;
}

/**
 * A stored version's record (one reason code, written only where no open record of the pipeline
 * holds that code, repair-quarantine.ts) written over the run's record of the key: the stored
 * record's reasons, then the ones written, while it is open.
 */
export const ADDED_REASONS_SQL = `case when quarantine.resolved_at is null and quarantine.reasons <> '[]'
    then substr(quarantine.reasons, 1, length(quarantine.reasons) - 1) || ',' || substr(excluded.reasons, 2)
    else excluded.reasons end`;

/**
 * A record's `created_at` when a record of the same (run, key) is written again: kept while it is
 * open, the written one's when it reopens a closed record. Kept, the reopened record's first seen
 * on the worklist (and the age read from it) counted from before the key last mapped cleanly.
 */
export const REOPENED_AT_SQL =
  'case when quarantine.resolved_at is null then quarantine.created_at else excluded.created_at end';
