/**
 * The schema's `default`s, applied by walking the schema beside the value: the one place a
 * default takes effect. The loader runs it over the whole config; a component handed a config
 * built in code (a test, a bench) runs it over its kind's fragment, so both see the same values
 * and no code restates a number the schema already declares.
 *
 * ajv's `useDefaults` fills the same fields while validating, but only where its evaluation
 * reaches: it skips `anyOf` and plain `oneOf` branches. Here a variant is chosen the way the
 * schema chooses it — by its `discriminator` (targets, signers, sources and their `auth` are one
 * variant per `kind` or `scheme`), else by the one branch whose JSON type fits the value.
 */
import type { Schema } from './schema/builders.js';

type Plain = Record<string, unknown>;

/** A copy of `value` with every default `schema` declares for it filled in; `value` is left as it is. */
export function withSchemaDefaults<T>(schema: Readonly<Schema>, value: T): T {
  return fill(schema, value) as T;
}

/** `T` with the fields in `K` known to be set: what a value looks like after `withSchemaDefaults`. */
export type Defaulted<T, K extends keyof T> = T & { readonly [P in K]-?: Exclude<T[P], undefined> };

function fill(schema: Readonly<Schema>, value: unknown): unknown {
  if (Array.isArray(value)) {
    const items = schema.items;
    return isSchema(items) ? value.map((v) => fill(items, v)) : value;
  }
  if (!isPlain(value)) return value;
  let out: Plain = { ...value };
  const properties = isSchema(schema.properties) ? (schema.properties as Record<string, Schema>) : {};
  for (const [key, sub] of Object.entries(properties)) {
    if (out[key] === undefined && 'default' in sub) out[key] = structuredClone(sub.default);
    if (out[key] !== undefined) out[key] = fill(sub, out[key]);
  }
  const patterns = isSchema(schema.patternProperties) ? Object.entries(schema.patternProperties) : [];
  for (const key of Object.keys(out)) {
    if (key in properties) continue;
    for (const [pattern, sub] of patterns) {
      if (isSchema(sub) && new RegExp(pattern, 'u').test(key)) out[key] = fill(sub, out[key]);
    }
  }
  for (const sub of [...branchesOf(schema, out), ...list(schema.allOf)]) out = fill(sub, out) as Plain;
  return out;
}

/** The `oneOf`/`anyOf` variant the value takes: by discriminator, else the only one of its JSON type. */
function branchesOf(schema: Readonly<Schema>, value: Plain): Schema[] {
  const branches = [...list(schema.oneOf), ...list(schema.anyOf)];
  if (branches.length === 0) return [];
  const discriminator = schema.discriminator as { propertyName?: string } | undefined;
  if (discriminator?.propertyName !== undefined) {
    const tag = value[discriminator.propertyName];
    return branches.filter((b) => tagMatches(b, discriminator.propertyName as string, tag)).slice(0, 1);
  }
  const objects = branches.filter(takesObjects);
  return objects.length === 1 ? objects : [];
}

function tagMatches(branch: Schema, property: string, tag: unknown): boolean {
  const p = (branch.properties as Record<string, Schema> | undefined)?.[property];
  if (p === undefined) return false;
  if ('const' in p) return p.const === tag;
  return Array.isArray(p.enum) && p.enum.includes(tag);
}

function takesObjects(branch: Schema): boolean {
  const type = branch.type;
  if (type === undefined) return isSchema(branch.properties);
  return type === 'object' || (Array.isArray(type) && type.includes('object'));
}

function list(v: unknown): Schema[] {
  return Array.isArray(v) ? v.filter(isSchema) : [];
}

function isSchema(v: unknown): v is Schema {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** A mapping as YAML or code writes it; a Buffer, a Date or a class instance is a value, copied as it is. */
function isPlain(v: unknown): v is Plain {
  if (v === null || typeof v !== 'object') return false;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}
