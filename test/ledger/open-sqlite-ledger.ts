import type { Ledger } from '../../ledger/ledger.js';
import { type OpenLedgerOptions, openLedger } from '../../ledger/open-ledger.js';
import { markSqliteLedger, unmarkSqliteLedger } from './sqlite-ledger-template.js';

/**
 * Opens the SQLite ledger `file`, a new one filled from the script of what the migrations leave
 * (./sqlite-ledger-template.ts) where opening it ran every migration, each synced to disk: 40-85 ms
 * of CPU an open, 12-26 ms once the worker has the template (its first open makes it, ~80 ms). A
 * file that holds tables already is migrated as it would be without the template. For tests that
 * need a migrated ledger, not for those of the migrations themselves.
 */
export async function openSqliteLedger(file: string, options: OpenLedgerOptions = {}): Promise<Ledger> {
  await markSqliteLedger(file);
  try {
    return await openLedger(`sqlite://${file}`, options);
  } finally {
    // The mark is read only by the migration the open runs.
    unmarkSqliteLedger(file);
  }
}
