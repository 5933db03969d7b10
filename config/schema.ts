// biome-ignore-all lint/suspicious/noTemplateCurlyInString: `${env:…}` and `${file:…}` are config reference syntax, not template slips.
/**
 * The config, declared once as JSON Schema (draft-07, ajv 8). This one declaration drives
 * validation, defaults, `licbridge config schema` and editor completion, so every property has a
 * `description`, every optional field with a default declares it, and every object is closed with
 * `additionalProperties: false` — a typo fails loudly instead of being silently dropped.
 *
 * The shape is the config as a user writes it in YAML: before `${…}` references are resolved and
 * before relative paths are made absolute (see `config/types.ts` for the result).
 */
import { closed, namedMap, type Schema, str } from './schema/builders.js';
import { calendar, deadlines } from './schema/calendar.js';
import { licenseFiles } from './schema/license-files.js';
import { lifecycle } from './schema/lifecycle.js';
import { pipeline } from './schema/pipelines.js';
import { reconcile } from './schema/reconcile.js';
import { seals } from './schema/seals.js';
import { metrics, serve } from './schema/serve.js';
import { signer, trust } from './schema/signers.js';
import { source } from './schema/sources.js';
import { target } from './schema/targets.js';
import { ledger, log, queue } from './schema/top.js';

export {
  AREA_CODE_PATTERN,
  CREDIT_CODE_PATTERN,
  LEDGER_URL_PATTERN,
  LICENSE_TYPE_PATTERN,
  NAME_PATTERN,
  patternHints,
  YEAR_PATTERN,
} from './schema/builders.js';

export const configSchema: Readonly<Schema> = deepFreeze({
  $schema: 'http://json-schema.org/draft-07/schema#',
  $id: 'https://licbridge.dev/schema/config.json',
  title: 'licbridge config',
  ...closed(
    'A licbridge deployment: where licenses come from, how they are signed and where they go.',
    {
      ledger,
      queue,
      catalog: str('Folder of the license catalog (one YAML file per license type), relative to this file.'),
      sources: namedMap('Legacy systems to read from, by name.', source),
      pipelines: namedMap('Pipelines, by name; each moves one license type from one source.', pipeline),
      signers: namedMap('Electronic seals, by name.', signer),
      trust,
      seals,
      licenseFiles,
      targets: namedMap('Platforms to deliver to, by name.', target),
      log,
      reconcile,
      serve,
      metrics,
      lifecycle,
      calendar,
      deadlines,
    },
    ['ledger', 'catalog'],
  ),
});

/** The schema as pretty JSON, for `licbridge config schema` and editors. */
export function configSchemaJson(): string {
  return `${JSON.stringify(configSchema, null, 2)}\n`;
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}
