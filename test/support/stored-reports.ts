/**
 * The reconciliation reports a workspace's SQLite ledger has stored (`reconcile_reports`), read as
 * the CLI left them: a check refused before it starts stores none.
 */
import { join } from 'node:path';
import Database from 'better-sqlite3';

export function storedReportCount(workspaceDir: string): number {
  const db = new Database(join(workspaceDir, 'data', 'ledger.db'), { readonly: true, fileMustExist: true });
  try {
    return (db.prepare('SELECT count(*) AS n FROM reconcile_reports').get() as { n: number }).n;
  } finally {
    db.close();
  }
}
