import { defineConfig } from 'vitest/config';

/**
 * The vitest config Stryker runs (stryker.config.mjs): only the test files of the modules being
 * mutated, passed in LICBRIDGE_MUTATION_TESTS, with the project's usual timeouts.
 */
const tests: string[] = JSON.parse(process.env.LICBRIDGE_MUTATION_TESTS ?? '["test/**/*.test.ts"]');

export default defineConfig({
  test: {
    include: tests,
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
