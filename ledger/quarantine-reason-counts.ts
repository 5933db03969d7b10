/**
 * Quarantined rows by pipeline and reason code, counted in the page's own transaction
 * (`quarantine_reason_counts`, migration 045), for the `rows_quarantined_total` metric.
 *
 * The metric was tallied in memory from the quarantine records by id, and missed rows for good:
 * on PostgreSQL ids come from a sequence when a row is inserted, not when its page commits, so a
 * page of one pipeline that took lower ids committed after a scrape had read past them; and a row
 * read again in its run (its record updated in place, commit-page.ts) was never counted again.
 * A restart tallied from the start and the counter jumped. Counted with the page, the totals hold
 * every quarantined row once whenever it commits, a scrape reads a few rows, and a restart reads
 * the same totals.
 */
import type { Knex } from 'knex';
import { type Db, toInt } from './db.js';
import type { QuarantineReason } from './types-versions.js';

/** Rows quarantined under one (pipeline, reason code), over every run. */
export interface QuarantineReasonCount {
  pipeline: string;
  code: string;
  count: number;
}

/**
 * Adds a page's quarantined rows to the totals, once per distinct code of each row, as the run's
 * `quarantined_count` adds every one (a key read twice in a page or a run counts twice). On
 * PostgreSQL the rows of one pipeline are locked by one page at a time (its checkpoint's lock is
 * taken first, commit-page-chain.ts), and in code order, so two pages never wait on each other here.
 */
export async function countQuarantineReasons(
  trx: Knex.Transaction,
  pipeline: string,
  quarantined: readonly { reasons: readonly Pick<QuarantineReason, 'code'>[] }[],
): Promise<void> {
  const byCode = new Map<string, number>();
  for (const q of quarantined) {
    for (const code of distinctCodes(q.reasons)) byCode.set(code, (byCode.get(code) ?? 0) + 1);
  }
  const rows = [...byCode.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([code, n]) => ({ pipeline, code, row_count: n }));
  if (rows.length === 0) return;
  await trx('quarantine_reason_counts')
    .insert(rows)
    .onConflict(['pipeline', 'code'])
    .merge({ row_count: trx.raw('quarantine_reason_counts.row_count + excluded.row_count') });
}

/** The totals, one row per (pipeline, code) ever quarantined: a read of a few rows. */
export async function quarantineReasonTotals(db: Db): Promise<QuarantineReasonCount[]> {
  return db.read('quarantineReasonTotals', async (k) => {
    const rows: { pipeline: string; code: string; row_count: unknown }[] = await k(
      'quarantine_reason_counts',
    ).select('pipeline', 'code', 'row_count');
    return rows.map((r) => ({ pipeline: r.pipeline, code: r.code, count: toInt(r.row_count) }));
  });
}

/** One count per distinct code of a row: a row with two date errors counts once for that code. */
export function distinctCodes(reasons: readonly ({ code?: unknown } | null)[]): string[] {
  const codes = new Set<string>();
  for (const r of reasons) {
    const code = r?.code;
    codes.add(typeof code === 'string' && code.length > 0 ? code : 'LB_UNKNOWN');
  }
  return [...codes];
}

/** The codes of a stored record's reasons (JSON text), as `distinctCodes` counts them. */
export function storedReasonCodes(json: string): string[] {
  try {
    const parsed = JSON.parse(json) as unknown;
    return Array.isArray(parsed) ? distinctCodes(parsed as ({ code?: unknown } | null)[]) : ['LB_UNKNOWN'];
  } catch {
    return ['LB_UNKNOWN'];
  }
}
