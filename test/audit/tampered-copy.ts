/** Tampering with a ledger the way someone with database access could, on a private copy. */
import { randomUUID } from 'node:crypto';
import { dirname, join } from 'node:path';
import Database from 'better-sqlite3';
import type { AuditVerification } from '../../ledger/audit-types.js';
import { openLedger } from '../../ledger/open-ledger.js';
import { quietLogger } from '../ledger/backends.js';

/**
 * `verifyAudit` (in pages of `pageSize`) over a copy of the SQLite ledger `ledgerFile`, made
 * beside it, with `tamper` applied to the copy first; the ledger itself stays as it was.
 */
export async function verifyTamperedCopy(
  ledgerFile: string,
  pageSize: number,
  tamper?: (db: Database.Database) => void,
): Promise<AuditVerification> {
  const copy = join(dirname(ledgerFile), `copy-${randomUUID()}.db`);
  const src = new Database(ledgerFile);
  src.exec(`VACUUM INTO '${copy}'`);
  src.close();
  if (tamper) {
    const db = new Database(copy);
    tamper(db);
    db.close();
  }
  const ledger = await openLedger(`sqlite://${copy}`, { logger: quietLogger });
  try {
    return await ledger.verifyAudit({ pageSize });
  } finally {
    await ledger.close();
  }
}
