/**
 * The config's ledger, opened with its `ledger` settings: `retryBudgetMs`, `queryTimeoutMs` and `busyTimeoutMs` hold
 * for every command that opens it (a run, a batch sign, a dead-letter replay, status), not only
 * for the Runtime's. A caller's own options go over the config's (status looks without retries,
 * and without migrating). `lifecycle.timeZone` tells it the day of a page committed without its
 * mapping day (ledger/commit-page.ts).
 */
import type { Config } from '../config/types.js';
import type { Ledger } from '../ledger/ledger.js';
import { type OpenLedgerOptions, openLedger } from '../ledger/open-ledger.js';
import { lifecycleSettings } from './lifecycle/settings.js';

export function openConfigLedger(config: Readonly<Config>, options: OpenLedgerOptions = {}): Promise<Ledger> {
  const { retryBudgetMs, queryTimeoutMs, busyTimeoutMs } = config.ledger;
  return openLedger(config.ledger.url, {
    // A config built in code may leave them out; the schema's defaults are openLedger's own.
    ...(retryBudgetMs === undefined ? {} : { retryBudgetMs }),
    ...(queryTimeoutMs === undefined ? {} : { queryTimeoutMs }),
    ...(busyTimeoutMs === undefined ? {} : { busyTimeoutMs }),
    // The day a page committed without its mapping day is judged on, as the tick counts days.
    timeZone: lifecycleSettings(config).timeZone,
    ...options,
  });
}
