import { afterAll, afterEach, beforeAll } from 'vitest';
import type { Ledger } from '../../ledger/ledger.js';
import { openLedger } from '../../ledger/open-ledger.js';
import { quietLogger, sqliteBackend, type TestDatabase } from '../ledger/backends.js';

/**
 * A SQLite ledger opened before a file's tests and closed after them. `cleanups` pushed during a
 * test run after it, last pushed first: a target closes before the platform it talks to.
 */
export function sqliteLedgerForFile(): { ledger: () => Ledger; cleanups: Array<() => unknown> } {
  let db: TestDatabase | undefined;
  let ledger: Ledger | undefined;
  const cleanups: Array<() => unknown> = [];
  beforeAll(async () => {
    db = await sqliteBackend.create();
    ledger = await openLedger(db.url, { logger: quietLogger });
  });
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
  });
  afterAll(async () => {
    await ledger?.close();
    await db?.dispose();
  });
  return {
    ledger: () => {
      if (!ledger) throw new Error('sqliteLedgerForFile: the ledger opens in beforeAll');
      return ledger;
    },
    cleanups,
  };
}
