// Build step after `tsc`: compiles the config schema's validator ahead of time (ajv standalone
// code), so a `licbridge` command does not spend ~0.6 s compiling it on every start. The options
// are the loader's own (config/validator-options.js); the loader falls back to compiling at run
// time when this file is absent (tests run from the TypeScript sources).
import { writeFile } from 'node:fs/promises';
import { Ajv } from 'ajv';
import standaloneCode from 'ajv/dist/standalone/index.js';
import { configSchema } from '../dist/config/schema.js';
import { VALIDATOR_OPTIONS } from '../dist/config/validator-options.js';

const ajv = new Ajv({ ...VALIDATOR_OPTIONS, code: { source: true, esm: true } });
const validate = ajv.compile(configSchema);
let source = (standaloneCode.default ?? standaloneCode)(ajv, validate);
// ajv's ESM output still calls require() for its runtime helpers (ucs2length for string
// lengths), which an ES module does not have: import them instead.
const helpers = [];
source = source.replace(/require\("([^"]+)"\)/g, (_, id) => {
  const name = `runtime${helpers.length}`;
  helpers.push(`import ${name} from ${JSON.stringify(id.endsWith('.js') ? id : `${id}.js`)};`);
  // Node hands a CommonJS module's exports object over as the default; other loaders may hand
  // over its own `default` instead: either way the call site gets `{ default: helper }`.
  return `(${name}.default ? ${name} : { default: ${name} })`;
});
source = source.replace('"use strict";', `"use strict";${helpers.join('')}`);
await writeFile(new URL('../dist/config/config-validator.generated.js', import.meta.url), source);
