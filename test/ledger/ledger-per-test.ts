/**
 * A fresh ledger for each test of a file that asks for one: `backend.create()` and `openLedger`,
 * closed and disposed of after the test whether it passed or not. Registers its own `afterEach`,
 * so a describe block that calls it at its top needs none.
 */
import { afterEach } from 'vitest';
import type { Ledger } from '../../ledger/ledger.js';
import { openLedger } from '../../ledger/open-ledger.js';
import { type Backend, quietLogger, type TestDatabase } from './backends.js';

export interface TestLedger {
  ledger: Ledger;
  database: TestDatabase;
}

/** In a describe block: a function that opens the test's ledger on a database of `backend`. */
export function ledgerPerTest(backend: Backend): () => Promise<TestLedger> {
  let made: { database: TestDatabase; ledger?: Ledger } | undefined;
  afterEach(async () => {
    const done = made;
    made = undefined;
    await done?.ledger?.close();
    await done?.database.dispose();
  });
  return async () => {
    const database = await backend.create();
    made = { database };
    const ledger = await openLedger(database.url, { logger: quietLogger });
    made.ledger = ledger;
    return { ledger, database };
  };
}
