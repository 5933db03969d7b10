/**
 * A License schema checked against ajv's meta-schema, by one ajv instance the process keeps. Each
 * catalog build that compiled a schema not seen before made an instance of its own for this and
 * compiled the meta-schema on it: 20-30 ms of CPU a build on a loaded machine, most of what the
 * build's three instances cost. The check holds nothing of the schemas it checks (ajv validates
 * them as data against the compiled meta-schema), so one instance serves every build.
 */
import { Ajv, type Options } from 'ajv';
import { registerFormats } from './formats.js';

/** The options of every ajv instance that compiles a License schema (catalog.ts). */
export const LICENSE_SCHEMA_OPTIONS = { strict: true, strictTypes: false, strictTuples: false } as const;

let checker: Ajv | undefined;

/**
 * Throws as ajv's `compile` does on an instance that checks schemas (`schema is invalid: …`, all
 * the errors) when `schema` breaks the meta-schema: the same call on an instance made as the
 * all-errors one of a build was, so the same words.
 */
export function checkAgainstMetaSchema(schema: object): void {
  const options: Options = { ...LICENSE_SCHEMA_OPTIONS, allErrors: true };
  checker ??= registerFormats(new Ajv(options));
  checker.validateSchema(schema, true);
}
