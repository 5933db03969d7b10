import { fileURLToPath } from 'node:url';
import { defineConfig, type Plugin } from 'vitest/config';

/**
 * The vitest config Stryker runs (stryker.config.mjs): only the test files of the modules being
 * mutated, passed in LICBRIDGE_MUTATION_TESTS, with the project's usual timeouts.
 */
const tests: string[] = JSON.parse(process.env.LICBRIDGE_MUTATION_TESTS ?? '["test/**/*.test.ts"]');

// Ledger tests run on every backend (test/ledger/backends.ts); a mutation run takes the SQLite one
// only: PostgreSQL adds seconds per mutant and the SQL that differs lives in the dialect files.
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
  plugins: [sqliteLedgerOnly],
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
