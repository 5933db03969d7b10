/**
 * test/ledger/backends.ts with SQLite as the only backend. Not imported by any test: the mutation
 * run's vitest config (stryker.vitest.config.ts) swaps it in for `./backends.js` under
 * test/ledger/ when LICBRIDGE_MUTATION_LEDGER_BACKENDS=sqlite; by default a mutation run uses both.
 */
import { sqliteBackend } from './backends.js';

export type { Backend, TestDatabase } from './backends.js';
export { PG_URL, postgresBackend, quietLogger, sqliteBackend } from './backends.js';
export const BACKENDS = [sqliteBackend] as const;
