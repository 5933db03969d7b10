/**
 * PostgreSQL: a page's quarantine writes in one statement, where they took two round trips —
 * closing the open records of keys that mapped cleanly in the page, and writing the page's own
 * records (one per key, its latest read; reopened if the run already held one).
 *
 * Run one after the other, the close came first and the write then reopened this run's record of
 * a key both mapped and quarantined in the page. One statement may not change a row twice, so the
 * close leaves exactly those records (this run's, of keys the page quarantines) to the write: every
 * other record is changed by one part only, and each ends as it ended before.
 */
import type { Knex } from 'knex';
import { type Db, rowChunks } from './db.js';
import { readsOtherwiseAsJson } from './pg-versions-insert.js';
import { ADDED_REASONS_SQL, cleanReadCloseSql, REOPENED_AT_SQL, readReasonsSql } from './quarantine-merge.js';

/** One quarantine record of the page: its key and its reasons as JSON text. */
export interface PageQuarantineRow {
  source_key: string;
  reasons: string;
}

// A clean read closes the read's reasons, never a stored version's (quarantine-merge.ts).
const CLOSE = `update quarantine set ${cleanReadCloseSql('postgres')}
     where pipeline = ? and resolved_at is null
       and source_key in (select jsonb_array_elements_text(?::jsonb))
       and not (run_id = ? and source_key in (select source_key from q))`;

// A stored version's reasons in the run's record of the key stay beside the read's (quarantine-merge.ts).
const WRITE = `insert into quarantine (run_id, pipeline, source_key, reasons, created_at)
  select ?, ?, q.source_key, q.reasons, ?::timestamptz from q
  on conflict (run_id, source_key) do update set reasons = ${readReasonsSql('postgres')},
    created_at = ${REOPENED_AT_SQL}, resolved_at = null`;

/** A lone surrogate, which JSON carries as its `\uXXXX` escape and PostgreSQL's JSON refuses. */
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/**
 * A key as a bound parameter stored it: sent as UTF-8, each lone surrogate became U+FFFD. The keys
 * to close travel as JSON, where a lone surrogate's escape failed the page, every run.
 */
function asStored(key: string): string {
  return key.replace(LONE_SURROGATE, '\ufffd');
}

export async function writePageQuarantinePg(
  db: Db,
  trx: Knex.Transaction,
  page: { pipeline: string; runId: string },
  mappedKeys: ReadonlySet<string>,
  rows: readonly PageQuarantineRow[],
  now: string,
): Promise<void> {
  if (mappedKeys.size === 0 && rows.length === 0) return;
  const { pipeline, runId } = page;
  const q = 'q as (select * from json_to_recordset(?::json) as q(source_key text, reasons text))';
  const closeBindings = [now, pipeline, JSON.stringify([...mappedKeys].map(asStored)), runId];
  const writeBindings = [runId, pipeline, now];
  const rowsText = JSON.stringify(rows);
  if (readsOtherwiseAsJson(rowsText)) {
    // A key JSON would carry otherwise (pg-versions-insert.ts): closed first, then written bound.
    // The close still leaves this run's records of the page's keys to the write, their keys as the
    // bound write stores them: closed and reopened, a record open all along took the page's time
    // as its first seen, and the worklist's age of a key both mapped and quarantined started over.
    const keys = JSON.stringify(rows.map((r) => ({ source_key: asStored(r.source_key), reasons: '' })));
    await trx.raw(`with ${q} ${CLOSE}`, [keys, ...closeBindings]);
    await insertQuarantineBound(db, trx, page, rows, now);
  } else if (rows.length === 0) {
    await trx.raw(`with ${q} ${CLOSE}`, [rowsText, ...closeBindings]);
  } else if (mappedKeys.size === 0) {
    await trx.raw(`with ${q} ${WRITE}`, [rowsText, ...writeBindings]);
  } else {
    await trx.raw(`with ${q}, closed as (${CLOSE}) ${WRITE}`, [rowsText, ...closeBindings, ...writeBindings]);
  }
}

/**
 * The page's quarantine records written the bound way: SQLite's always, PostgreSQL's when their
 * text would read otherwise as JSON. In statements within the bind parameter limit (a page may
 * quarantine 50,000 rows): five a row, and the reopening's null written into the text, not bound
 * as one parameter more.
 *
 * Over the run's record of a key (quarantine-merge.ts): a read's reasons (`read`, a page's) replace
 * its earlier read's and keep a stored version's; a stored version's (`added`, repair-quarantine.ts)
 * are added to those of the open record.
 */
export async function insertQuarantineBound(
  db: Db,
  trx: Knex.Transaction,
  page: { pipeline: string; runId: string },
  rows: readonly PageQuarantineRow[],
  now: string,
  kind: 'read' | 'added' = 'read',
): Promise<void> {
  const reasons = kind === 'read' ? readReasonsSql(db.dialect) : ADDED_REASONS_SQL;
  const bound = rows.map((r) => ({
    run_id: page.runId,
    pipeline: page.pipeline,
    source_key: r.source_key,
    reasons: r.reasons,
    created_at: now,
  }));
  for (const part of rowChunks(db, bound, 5)) {
    await trx('quarantine')
      .insert(part)
      .onConflict(['run_id', 'source_key'])
      .merge({
        reasons: trx.raw(reasons),
        created_at: trx.raw(REOPENED_AT_SQL),
        resolved_at: trx.raw('null'),
      });
  }
}
