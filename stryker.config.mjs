// @ts-check
/**
 * Mutation testing of the core modules: `npm run test:mutation` (all modules) or
 * `LICBRIDGE_MUTATE=catalog,mappings npm run test:mutation` (some). Not part of `npm test` or CI:
 * a full run takes long on a small machine. docs/testing.md holds the scores and the survivors.
 *
 * Each module names the test files that exercise it in-process; Stryker runs only those, so a
 * mutant is judged by the tests meant to defend it (CLI tests spawn dist/ and never see a mutant).
 */

import { createHash } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const REPORTS = 'node_modules/.cache/licbridge-mutation';

// Fast unit tests only: a mutant is run against the tests that cover it (coverageAnalysis
// perTest), so a long list costs only the first (dry) run. No test here spawns dist/ or needs a
// server, except where a module is defended by integration tests alone (said at the entry).
// holder-categories.test.ts is left out: one of its tests spawns dist/cli, absent in the sandbox.
const CATALOG_TESTS = [
  'test/catalog/!(holder-categories).test.ts',
  'test/documents/face-template-catalog.test.ts',
  'test/mappings/{license-mapper,catalog-required-backstop,hostile-rows}.test.ts',
];
const MAPPING_TESTS = [
  'test/mappings/!(*.int).test.ts',
  'test/catalog/personal-by-holder.test.ts',
  'test/lifecycle/successor-codes.test.ts',
];
// Every .ts file of the folder, read when the config loads: a new file is mutated from its first run.
const filesOf = (/** @type {string} */ dir) =>
  readdirSync(dir)
    .filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts'))
    .map((f) => f.slice(0, -3))
    .sort();
// The lifecycle folder's unit tests (no .int, no .e2e): a mutant runs only those that reach it.
const LIFECYCLE_TESTS = ['test/lifecycle/!(*.int|*.e2e).test.ts'];
const CATALOG_FILES = filesOf('catalog');
const MAPPING_FILES = filesOf('mappings');

/** @type {Record<string, { mutate: string[]; tests: string[] }>} */
const MODULES = {
  // catalog/ and mappings/ one file per entry: each run is short, and has its own incremental file.
  ...Object.fromEntries(
    CATALOG_FILES.map((f) => [`catalog/${f}`, { mutate: [`catalog/${f}.ts`], tests: CATALOG_TESTS }]),
  ),
  ...Object.fromEntries(
    MAPPING_FILES.map((f) => [`mappings/${f}`, { mutate: [`mappings/${f}.ts`], tests: MAPPING_TESTS }]),
  ),
  repair: { mutate: ['connectors/repair/**/*.ts'], tests: ['test/connectors/repair*.test.ts'] },
  keyset: {
    mutate: ['connectors/sql/keyset.ts'],
    tests: [
      'test/connectors/keyset*.test.ts',
      'test/connectors/dialects-sql.test.ts',
      'test/connectors/sqlite.int.test.ts',
    ],
  },
  fingerprint: {
    // The digest maths both sides share moved to core/reconcile-digest.ts; its vectors are the same tests'.
    mutate: ['connectors/sql/fingerprint.ts', 'core/reconcile-digest.ts'],
    tests: [
      'test/connectors/fingerprint-vectors.test.ts',
      'test/connectors/fingerprint-columns.int.test.ts',
      'test/connectors/bucket-digests.int.test.ts',
    ],
  },
  'audit-chain': {
    mutate: ['ledger/audit-chain.ts'],
    tests: [
      'test/audit/audit-link-tamper.int.test.ts',
      'test/audit/audit-chain-append.int.test.ts',
      'test/audit/audit-concurrency.int.test.ts',
    ],
  },
  // Integration tests only, on SQLite and PostgreSQL (stryker.vitest.config.ts); they need the
  // PostgreSQL test server. LICBRIDGE_MUTATION_LEDGER_BACKENDS=sqlite runs SQLite alone.
  'commit-page': {
    mutate: ['ledger/commit-page.ts'],
    tests: ['test/ledger/commit-page*.test.ts', 'test/ledger/replay-race.int.test.ts'],
  },
  'delivery-order': {
    mutate: ['pipelines/stages/delivery-order.ts'],
    tests: ['test/pipelines/delivery-order.test.ts'],
  },
  'delivery-policy': {
    mutate: ['pipelines/delivery-policy.ts'],
    tests: ['test/pipelines/delivery-policy*.test.ts'],
  },
  // The lifecycle clock: working days, the deadlines status watches, the reminders due on a day.
  // Integration tests that read a ledger come along (SQLite; PostgreSQL in some reminder files;
  // Redis for the metrics). Not those that run the CLI in process (deadlines-status, expiry-behind,
  // deadlines-year-end, reminder-list-due): it changes directory, which a worker thread may not.
  'lifecycle/calendar': { mutate: ['pipelines/lifecycle/calendar.ts'], tests: LIFECYCLE_TESTS },
  'lifecycle/deadlines': {
    mutate: ['pipelines/lifecycle/deadlines.ts'],
    tests: [...LIFECYCLE_TESTS, 'test/lifecycle/deadline-metrics.int.test.ts'],
  },
  'lifecycle/reminder-due': {
    mutate: ['pipelines/lifecycle/reminder-due.ts'],
    tests: [
      ...LIFECYCLE_TESTS,
      'test/lifecycle/{reminders-tick,reminders-once-a-day,reminders-renewed,reminders-dropped}.int.test.ts',
      'test/lifecycle/{reminders-superseded,reminders-reopened-same-day,reminders-stop}.int.test.ts',
    ],
  },
};
/** Names that stand for several entries. */
const GROUPS = {
  catalog: CATALOG_FILES.map((f) => `catalog/${f}`),
  mappings: MAPPING_FILES.map((f) => `mappings/${f}`),
  lifecycle: ['lifecycle/calendar', 'lifecycle/deadlines', 'lifecycle/reminder-due'],
};

const chosen = (process.env.LICBRIDGE_MUTATE ?? Object.keys(MODULES).join(','))
  .split(',')
  .map((m) => m.trim())
  .filter(Boolean)
  .flatMap((m) => GROUPS[/** @type {keyof typeof GROUPS} */ (m)] ?? [m]);
for (const m of chosen) {
  if (!MODULES[m])
    throw new Error(
      `stryker.config.mjs: unknown module ${m}; known: ${[...Object.keys(GROUPS), ...Object.keys(MODULES)].join(', ')}`,
    );
}
const pick = (/** @type {'mutate' | 'tests'} */ what) => chosen.flatMap((m) => MODULES[m]?.[what] ?? []);

// Read by stryker.vitest.config.ts in the test-runner processes, which inherit this environment.
// LICBRIDGE_MUTATION_TESTS set by the caller narrows a run to some test files (a quick check).
const tests = [...new Set(pick('tests'))];
process.env.LICBRIDGE_MUTATION_TESTS ??= JSON.stringify(tests);
// One report and one incremental file per selection: a module's results survive runs of others.
// A long selection is named by a digest of its names: a file name has at most 255 bytes.
const joined = chosen.join('+').replaceAll('/', '-');
const tag =
  chosen.length === Object.keys(MODULES).length
    ? 'all'
    : joined.length <= 120
      ? joined
      : `selection-${createHash('sha256').update(joined).digest('hex').slice(0, 12)}`;

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
const config = {
  testRunner: 'vitest',
  vitest: { configFile: 'stryker.vitest.config.ts', related: false },
  plugins: ['@stryker-mutator/vitest-runner'],
  mutate: pick('mutate'),
  coverageAnalysis: 'perTest',
  // Module-level code (lookup tables built at load) is run by every test file: each such mutant
  // would re-run a module's whole suite. They are left out of the score and reported as ignored.
  ignoreStatic: true,
  // LICBRIDGE_MUTATION_CONCURRENCY=1 leaves a core free (two runs at once, or other work).
  concurrency: Number(process.env.LICBRIDGE_MUTATION_CONCURRENCY ?? 2),
  timeoutMS: 20_000,
  reporters: ['clear-text', 'progress', 'json', 'html'],
  // Reports and the incremental state live in node_modules/.cache (ignored by git and biome); the
  // sandbox goes to the system temp folder, so a lint of the tree never sees instrumented copies.
  jsonReporter: { fileName: `${REPORTS}/${tag}.json` },
  htmlReporter: { fileName: `${REPORTS}/${tag}.html` },
  incremental: true,
  incrementalFile: `${REPORTS}/${tag}-incremental.json`,
  // One sandbox per selection: runs of different modules may go on at the same time.
  tempDirName: join(tmpdir(), `licbridge-stryker-${tag}`),
  ignorePatterns: ['dist', 'dist-bench', 'bench', 'coverage', '.tmp', '/data'],
  thresholds: { high: 90, low: 85, break: null },
  cleanTempDir: true,
};
export default config;
