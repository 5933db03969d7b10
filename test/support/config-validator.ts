/**
 * Stands in for `config-validator.generated.js`, the config validator `npm run build` compiles
 * ahead of time (scripts/compile-config-validator.mjs), when tests run from the TypeScript sources
 * (vitest.config.ts points the loader's import here). Without it config/loader.ts compiles the
 * schema on every fresh start, and a CLI run in process (./cli-in-process.ts) starts fresh each
 * time: most of a short command's time. Compiled here from the same schema with the loader's own
 * options, once per test process; test/config/prebuilt-validator.e2e.test.ts holds the built file
 * to the same verdicts.
 */
import { Ajv, type ValidateFunction } from 'ajv';
import { configSchema } from '../../config/schema.js';
import { VALIDATOR_OPTIONS } from '../../config/validator-options.js';

const KEY = Symbol.for('licbridge.test.configValidator');
const store = globalThis as { [KEY]?: ValidateFunction };

// On globalThis: an in-process run evaluates every module again, this one included.
store[KEY] ??= new Ajv(VALIDATOR_OPTIONS).compile(configSchema);

export default store[KEY];
