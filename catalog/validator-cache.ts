/**
 * Compiled License validators, shared by schema text across catalog builds. Compiling one entry's
 * schema (twice: all errors and first error) costs tens of milliseconds, and a process builds the
 * same catalog again and again (config check, preview, each run, reloads); the compiled code is a
 * pure function of the schema, so equal text may reuse it.
 */
import type { ValidateFunction } from 'ajv';
import { RecentMap } from '../core/recent-map.js';

export interface CompiledSchema {
  /** All errors: the reasons a license is refused. */
  readonly validator: ValidateFunction;
  /** First error only: the fast yes/no for valid licenses. */
  readonly quick: ValidateFunction;
  /**
   * Sets the day the compiled id checks take as today (`format: resident-id`, `holderIdType`):
   * those of the holder-id module the compile used, which a later build's own is not where modules
   * are evaluated apart and this cache is shared (the files of a test worker, commands run in
   * process). Returns the day before, as holder-id's `useValidationDay`.
   */
  readonly useDay?: (day: string | undefined) => string | undefined;
}

// Keys that tie a compiled schema to the ajv instance it was compiled on: an id or anchor is
// registered there (a second schema with the same id in the same build is an error), and a
// reference resolves against what the instance holds. Such a schema is compiled every time,
// as if nothing were shared. Conservative: a property merely named like one counts too.
const INSTANCE_BOUND = new Set([
  '$id',
  '$anchor',
  '$dynamicAnchor',
  '$recursiveAnchor',
  '$ref',
  '$dynamicRef',
  '$recursiveRef',
]);

/**
 * True when the schema is plain JSON (so its text says all of it: no Infinity read as `null`, no
 * undefined dropped, no Date or class instance) and holds no key bound to an ajv instance.
 */
function standsAlone(schema: unknown): boolean {
  if (schema === null || typeof schema === 'string' || typeof schema === 'boolean') return true;
  if (typeof schema === 'number') return Number.isFinite(schema);
  if (Array.isArray(schema)) return schema.every(standsAlone);
  if (typeof schema !== 'object') return false;
  const proto = Object.getPrototypeOf(schema);
  if (proto !== Object.prototype && proto !== null) return false;
  for (const [key, value] of Object.entries(schema)) {
    if (INSTANCE_BOUND.has(key) || !standsAlone(value)) return false;
  }
  return true;
}

/**
 * At most this many schemas are kept (least recently used goes first): a long-running process
 * that reloads an edited catalog must not hold every version it ever compiled.
 */
export const CACHED_SCHEMAS = 64;

const cache = new RecentMap<string, CompiledSchema>(CACHED_SCHEMAS);

/**
 * The validators of `schema`: from an earlier compile of the same schema text (key order
 * included), or from `compile`, whose result is then kept. A `compile` that throws keeps nothing,
 * so a bad schema fails the same way on every build.
 */
export function compiledFor(schema: object, compile: () => CompiledSchema): CompiledSchema {
  if (!standsAlone(schema)) return compile();
  const key = JSON.stringify(schema);
  const hit = cache.get(key);
  if (hit) return hit;
  const compiled = compile();
  cache.set(key, compiled);
  return compiled;
}
