/** The reports reconciliation stores in the ledger (table `reconcile_reports`), newest first on reading. */

import type { Knex } from 'knex';
import type { StoredReport } from './audit-types.js';
import { type Db, nowIso, parseJson, toDate, toInt } from './db.js';

export async function saveReport(db: Db, report: Omit<StoredReport, 'createdAt'>): Promise<void> {
  await db.write('saveReport', async (trx: Knex.Transaction) => {
    await trx('reconcile_reports').insert({
      report_id: report.reportId,
      pipeline: report.pipeline,
      mode: report.mode,
      differences: report.differences,
      summary: JSON.stringify(report.summary),
      report: JSON.stringify(report.report),
      created_at: nowIso(),
    });
  });
}

interface ReportRow {
  report_id: string;
  pipeline: string;
  mode: string;
  differences: unknown;
  summary: string;
  report: string;
  created_at: unknown;
}

export async function getReports(
  db: Db,
  query: { reportId?: string; pipeline?: string; limit?: number },
): Promise<StoredReport[]> {
  return db.read('getReports', async (k) => {
    const q = k('reconcile_reports')
      .select('*')
      .orderBy([
        { column: 'created_at', order: 'desc' },
        { column: 'report_id', order: 'desc' },
      ])
      .limit(query.limit ?? 20);
    if (query.reportId) q.where({ report_id: query.reportId });
    if (query.pipeline) q.where({ pipeline: query.pipeline });
    const rows: ReportRow[] = await q;
    return rows.map((r) => ({
      reportId: r.report_id,
      pipeline: r.pipeline,
      mode: r.mode,
      differences: toInt(r.differences),
      summary: parseJson<Record<string, unknown>>(r.summary),
      report: parseJson<Record<string, unknown>>(r.report),
      createdAt: toDate(r.created_at),
    }));
  });
}
