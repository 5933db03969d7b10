import { afterAll, beforeAll } from 'vitest';
import type { Ledger } from '../../ledger/ledger.js';
import { openLedger } from '../../ledger/open-ledger.js';
import { type Backend, quietLogger, type TestDatabase } from './backends.js';

/**
 * A ledger on a fresh database of `backend` for the describe block this is called in: registers
 * the beforeAll that creates the database and opens the ledger, and the afterAll that closes and
 * disposes of both. Read `ledger` (and `database`, for a connection of the test's own) inside tests
 * and hooks, once beforeAll has run.
 */
export function ledgerPerBackend(backend: Backend): {
  readonly ledger: Ledger;
  readonly database: TestDatabase;
} {
  let database: TestDatabase | undefined;
  let ledger: Ledger | undefined;

  beforeAll(async () => {
    database = await backend.create();
    ledger = await openLedger(database.url, { logger: quietLogger });
  });
  afterAll(async () => {
    await ledger?.close();
    await database?.dispose();
  });

  return {
    get ledger(): Ledger {
      if (!ledger) throw new Error(`ledgerPerBackend: the ${backend.name} ledger is not open yet`);
      return ledger;
    },
    get database(): TestDatabase {
      if (!database) throw new Error(`ledgerPerBackend: the ${backend.name} database is not made yet`);
      return database;
    },
  };
}
