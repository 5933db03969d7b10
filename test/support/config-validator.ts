/**
 * Stands in for `config-validator.generated.js`, the config validator `npm run build` compiles
 * ahead of time (scripts/compile-config-validator.mjs), when tests run from the TypeScript sources
 * (vitest.config.ts points the loader's import here). Without it config/loader.ts compiles the
 * schema on every fresh start, and a CLI run in process (./cli-in-process.ts) starts fresh each
 * time: most of a short command's time. test/config/prebuilt-validator.e2e.test.ts holds the
 * built file to the same verdicts.
 *
 * Built as the build builds it (ajv standalone code, the loader's own options), once per test
 * process, and kept in node_modules/.cache/ under a digest of ajv's version, the options and the
 * schema: compiling took ~0.6 s of CPU in every worker process and every e2e file's process;
 * reading the kept code back takes milliseconds. A changed schema gets a new digest.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv, type ValidateFunction } from 'ajv';
import standalone from 'ajv/dist/standalone/index.js';
import { configSchema } from '../../config/schema.js';
import { VALIDATOR_OPTIONS } from '../../config/validator-options.js';

const KEY = Symbol.for('licbridge.test.configValidator');
const store = globalThis as { [KEY]?: ValidateFunction };
const require = createRequire(import.meta.url);
const CACHE = fileURLToPath(
  new URL('../../node_modules/.cache/licbridge-config-validator/', import.meta.url),
);

function validatorSource(): string {
  const { version } = require('ajv/package.json') as { version: string };
  const digest = createHash('sha256')
    .update(JSON.stringify([version, VALIDATOR_OPTIONS, configSchema]))
    .digest('hex')
    .slice(0, 32);
  const file = join(CACHE, `${digest}.cjs`);
  try {
    return readFileSync(file, 'utf8');
  } catch {
    const ajv = new Ajv({ ...VALIDATOR_OPTIONS, code: { source: true } });
    // The package's CommonJS default export reaches ESM wrapped once or twice, by loader.
    type ToCode = (ajv: Ajv, validate: ValidateFunction) => string;
    const wrapped = standalone as unknown as { default?: ToCode } & ToCode;
    const toCode: ToCode = wrapped.default ?? wrapped;
    const source = toCode(ajv, ajv.compile(configSchema));
    // Written aside and renamed: processes starting together never read half a file.
    mkdirSync(CACHE, { recursive: true });
    const part = `${file}.${process.pid}.part`;
    writeFileSync(part, source);
    renameSync(part, file);
    return source;
  }
}

function loadValidator(): ValidateFunction {
  const module = { exports: {} as { default?: ValidateFunction } };
  new Function('require', 'module', 'exports', validatorSource())(require, module, module.exports);
  if (!module.exports.default)
    throw new Error('test/support/config-validator.ts: no validator in the kept code');
  return module.exports.default;
}

// On globalThis: an in-process run evaluates every module again, this one included.
store[KEY] ??= loadValidator();

export default store[KEY];
