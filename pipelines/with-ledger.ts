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
