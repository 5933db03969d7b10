/**
 * A PostgreSQL template build that threw (here: a server refusing the connection) is not kept for
 * the worker's later ledgers: the next ledger made builds or reads the template and is filled
 * from it. Kept, every later PostgreSQL ledger of the worker ran all the migrations, and the
 * template's own test found its ledger not filled.
 */
import { afterEach, expect, it } from 'vitest';
import { openLedger } from '../../ledger/open-ledger.js';
import { postgresBackend, quietLogger, type TestDatabase } from './backends.js';
import { ledgersFilled } from './migrator-shortcut.js';
import { markPgLedger } from './pg-ledger-template.js';

const made: TestDatabase[] = [];
afterEach(async () => {
  for (const db of made.splice(0)) await db.dispose();
});

it('fills the next ledger from the template after a build that could not connect', async () => {
  const store = globalThis as Record<symbol, unknown>;
  delete store[Symbol.for('licbridge.test.pgLedgerTemplate')];
  // Port 1: nothing listens; the build's connection is refused.
  await markPgLedger('postgres://postgres@127.0.0.1:1/test', 'lb_template_retry_refused');

  const before = ledgersFilled();
  const db = await postgresBackend.create();
  made.push(db);
  await (await openLedger(db.url, { logger: quietLogger })).close();
  expect(ledgersFilled()).toBe(before + 1);
}, 120_000);
