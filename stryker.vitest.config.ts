import { fileURLToPath } from 'node:url';
import { defineConfig, type Plugin } from 'vitest/config';

/**
 * The vitest config Stryker runs (stryker.config.mjs): only the test files of the modules being
 * mutated, passed in LICBRIDGE_MUTATION_TESTS, with the project's usual timeouts.
 */
const tests: string[] = JSON.parse(process.env.LICBRIDGE_MUTATION_TESTS ?? '["test/**/*.test.ts"]');

// Ledger tests run on every backend (test/ledger/backends.ts). The commit-page entry keeps both:
// ledger/commit-page.ts has PostgreSQL-only statements (the bulk source-column update, the JSON
// key list) that a SQLite-only run never reaches. PostgreSQL costs little here: a full run of
// its 253 mutants took 4 min 43 s on both backends and 5 min 0 s on SQLite alone (concurrency 1;
// a mutant reruns only the tests that cover it, and each run's start dominates).
// LICBRIDGE_MUTATION_LEDGER_BACKENDS=sqlite still swaps in the SQLite-only list.
const SQLITE_ONLY = fileURLToPath(new URL('./test/ledger/commit-page-sqlite-backends.ts', import.meta.url));
const sqliteLedgerOnly: Plugin = {
  name: 'licbridge-mutation-sqlite-ledger',
  enforce: 'pre',
  resolveId(source, importer) {
    if (source !== './backends.js' || !importer || importer === SQLITE_ONLY) return null;
    return importer.includes('/test/ledger/') ? SQLITE_ONLY : null;
  },
};

export default defineConfig({
  plugins: process.env.LICBRIDGE_MUTATION_LEDGER_BACKENDS === 'sqlite' ? [sqliteLedgerOnly] : [],
  test: {
    include: tests,
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // One worker kept across mutant runs instead of a fresh one each: about 2.5 times faster here.
    // Code run once at import (tables, memoised validators) then stays as first built; a mutant
    // there is left out (ignoreStatic) or, if a test also reaches it, may survive — never the
    // other way round. LICBRIDGE_MUTATION_ISOLATE=1 checks a module with fresh workers.
    isolate: process.env.LICBRIDGE_MUTATION_ISOLATE === '1',
  },
});
