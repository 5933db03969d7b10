import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { configDefaults, defineConfig } from 'vitest/config';
import { fileSequence } from './test/support/long-files-first.js';

/**
 * Three projects, chosen by file name so a new test lands in the right one (docs/testing.md):
 * - `unit`        `*.test.ts`      no services, no build; runs from the TypeScript sources.
 * - `integration` `*.int.test.ts`  Redis, SQL, HTTP; the CLI runs in process (test/support/cli.ts).
 * - `e2e`         `*.e2e.test.ts`  spawns the built CLI (`dist/`), kills it, restarts it.
 */
const UNIT_EXCLUDED = ['test/**/*.int.test.ts', 'test/**/*.e2e.test.ts'];

// vitest's default is one worker fewer than the cores: a single worker on two cores, which ran
// the whole suite one file at a time. Integration and end-to-end files spend most of their time
// waiting on services, timers and child processes, so more files than cores run at once: four a
// core. On two cores the integration and e2e files took 287 s with 8 workers against 410 s with
// 4 (the same sitting, a loaded machine); the ~400 s of CPU they use is then what bounds them.
// Each file uses its own names (queue prefix, schema, database, SQLite file), so they may overlap.
const WORKERS = Number(process.env.LICBRIDGE_TEST_WORKERS) || Math.max(8, availableParallelism() * 4);

// Unit files do not wait: they compute. One worker per core; each more worker loads vitest and
// the libraries again and contends for the same cores. `npm run test:unit` on two cores, measured
// in pairs of runs: 2 workers took 13-21% less CPU than 4 (36.5 s against 41.9 s) and no more time.
const UNIT_WORKERS = Number(process.env.LICBRIDGE_TEST_WORKERS) || availableParallelism();

// With `LICBRIDGE_TEST_CPU_OUT=<folder>`, each file's CPU and wall time go to a file per worker
// process there (test/support/file-cpu.ts): on a shared machine the wall time of a file says little.
const SETUP_FILES = [
  ...(process.env.LICBRIDGE_TEST_CPU_OUT ? ['test/support/file-cpu.ts'] : []),
  'test/support/fresh-modules.ts',
  'test/support/shared-validators.ts',
];

export default defineConfig({
  resolve: {
    alias: [
      // The config validator compiled at build time exists only in dist/; from the sources the
      // loader would compile it on every start (test/support/config-validator.ts).
      {
        find: /^(.*\/config|\.)\/config-validator\.generated\.js$/,
        replacement: fileURLToPath(new URL('./test/support/config-validator.ts', import.meta.url)),
      },
    ],
  },
  test: {
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    maxWorkers: WORKERS,
    // Longest files first, from vitest's cache of durations or, without one (after `npm ci`),
    // from a list of the long ones: a minute-long file that starts last holds up the whole run.
    // `--sequence.shuffle.files` still shuffles them (test/support/long-files-first.ts).
    sequence: fileSequence(process.argv),
    // Keeps each source and test file as transformed on disk (node_modules/.experimental-vitest-cache),
    // keyed by its content, vitest's version and this config: a run after the first transforms only
    // the files changed since. The transforms all happen in the one main process, which the workers
    // wait on while they load; measured on `npm run test:unit`: 63 s of CPU without, 56 s with.
    // `npx vitest --clearCache` empties it (docs/testing.md).
    experimental: { fsModuleCache: true },
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['test/**/*.test.ts'],
          exclude: [...configDefaults.exclude, ...UNIT_EXCLUDED],
          maxWorkers: UNIT_WORKERS,
          // Projects with different worker counts must run one after the other (vitest refuses to
          // mix them): in `npm test` the unit files go first, then integration and e2e together.
          sequence: { groupOrder: 0 },
          // One process serves many unit files: starting a process per file cost more than the
          // tests themselves. Each file still gets licbridge's modules fresh (fresh-modules.ts),
          // all but the compiled License validators, a pure function of the schema text
          // (shared-validators.ts).
          isolate: false,
          setupFiles: SETUP_FILES,
        },
      },
      {
        extends: true,
        test: {
          name: 'integration',
          include: ['test/**/*.int.test.ts'],
          sequence: { groupOrder: 1 },
          // As the unit project: reloading the libraries for each file was most of this project's
          // time (docs/testing.md); licbridge's own modules are still fresh for each file, all but
          // the compiled License validators, which the files of a worker share as the unit files
          // do: each file that loads a catalog compiled the same entry schemas again.
          isolate: false,
          setupFiles: SETUP_FILES,
        },
      },
      {
        extends: true,
        test: {
          name: 'e2e',
          include: ['test/**/*.e2e.test.ts'],
          sequence: { groupOrder: 1 },
          // As the integration project: a process for each file loaded vitest and the libraries
          // again, ~0.6 s of CPU a file. The 30 files took 135.6 s of CPU so (two runs) and
          // 117.4 s sharing (three runs, one of them shuffled), the same sitting.
          isolate: false,
          setupFiles: SETUP_FILES,
        },
      },
    ],
  },
});
