/**
 * The config's ledger for the length of one piece of work, closed however the work ends: what a
 * use case that reads or writes a few rows opens (a run opens its ledger through the Runtime).
 */
import type { Config } from '../config/types.js';
import type { Ledger } from '../ledger/ledger.js';
import type { OpenLedgerOptions } from '../ledger/open-ledger.js';
import { openConfigLedger } from './config-ledger.js';

export async function withLedger<T>(
  config: Readonly<Config>,
  work: (ledger: Ledger) => Promise<T>,
  options: OpenLedgerOptions = {},
): Promise<T> {
  const ledger = await openConfigLedger(config, options);
  try {
    return await work(ledger);
  } finally {
    await ledger.close();
  }
}

/**
 * How a command that only lists or shows opens the ledger: never migrated, as status and audit
 * read it. Migrated, a ledger that is not there (a mistyped SQLite path) was made new and its
 * empty lists printed as "nothing to do", exit 0; a ledger an older release wrote was changed under
 * workers still running that release. Either is refused, naming the file or the migrations.
 */
export const READ_ONLY: OpenLedgerOptions = Object.freeze({ migrate: false });
