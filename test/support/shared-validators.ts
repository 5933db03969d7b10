/**
 * Setup file of every project (vitest.config.ts), after ./fresh-modules.ts. Every licbridge module
 * is evaluated anew for each file, except the compiled License validators
 * (catalog/validator-cache.ts) and the meta-schema check (catalog/meta-schema-check.ts), which the
 * files of one worker process share as a long-running worker shares them between catalog builds:
 * the compiled code is a pure function of the schema text and holds no licbridge state (the day
 * its id checks take as today is set through the holder-id module of its compile:
 * catalog/validator-cache.ts `useDay`), and a schema that fails to compile is never kept, so it
 * fails in every file. Compiling the same entry schemas again in each file that loads a catalog was
 * ~5 % of the unit project's CPU; in the integration project, one file in six (139) compiled 84
 * schemas in 2.8 s of CPU with a cache per file, 18 in 0.9 s with one per worker.
 * ./cli-in-process.ts keeps the same module for its runs.
 *
 * The catalogs built in a file (catalog/built-catalogs.ts) are kept for that file's commands run
 * in process, as a long-running worker keeps them between runs: see the end of this file.
 *
 * A file that tests the cache itself, and needs it empty as a fresh process has it, opts out with
 * `vi.unmock('../../catalog/validator-cache.js')` (hoisted above its imports).
 */
import { vi } from 'vitest';

type ValidatorCache = typeof import('../../catalog/validator-cache.js');

// On globalThis: this module, like every other, is evaluated again for each file.
const KEY = Symbol.for('licbridge.test.sharedValidatorCache');
const store = globalThis as { [KEY]?: Promise<ValidatorCache> };

store[KEY] ??= import('../../catalog/validator-cache.js');
const shared = await store[KEY];
vi.doMock('../../catalog/validator-cache.js', () => shared);

// The same for the instance that checks License schemas against ajv's meta-schema
// (catalog/meta-schema-check.ts): it keeps only the compiled meta-schema, and compiling that in
// every file whose catalog compiled a schema took 20-30 ms of CPU each time (a loaded machine).
type MetaSchemaCheck = typeof import('../../catalog/meta-schema-check.js');
const META_KEY = Symbol.for('licbridge.test.sharedMetaSchemaCheck');
const metaStore = globalThis as { [META_KEY]?: Promise<MetaSchemaCheck> };
metaStore[META_KEY] ??= import('../../catalog/meta-schema-check.js');
const metaCheck = await metaStore[META_KEY];
vi.doMock('../../catalog/meta-schema-check.js', () => metaCheck);

// Catalogs built from the same entry files (catalog/built-catalogs.ts), kept for this file only:
// each command a file runs in process (./cli-in-process.ts) evaluates licbridge's modules anew and
// parsed and checked every entry of the same catalog again, ~6 ms of CPU a command that loads the
// demo catalog (status-attention built it 7 times, once now). A built catalog is a pure function
// of its files' paths and texts, and a build that fails keeps nothing, so a bad catalog fails in
// every run. Not shared across files, unlike the two above: a catalog's checks run in the modules
// of the build that made it, and a file that mocks one of them must not be handed a catalog built
// with another file's.
const builtCatalogs = await import('../../catalog/built-catalogs.js');
vi.doMock('../../catalog/built-catalogs.js', () => builtCatalogs);
