/**
 * test/ledger/backends.ts with SQLite as the only backend. Not imported by any test: the mutation
 * run's vitest config (stryker.vitest.config.ts) swaps it in for `./backends.js` under
 * test/ledger/, so `npm run test:mutation` exercises ledger code on SQLite only.
 */
import { sqliteBackend } from './backends.js';

export type { Backend, TestDatabase } from './backends.js';
export { PG_URL, postgresBackend, quietLogger, sqliteBackend } from './backends.js';
export const BACKENDS = [sqliteBackend] as const;
