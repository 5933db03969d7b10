/**
 * Which license fields a face template's text box may print: a field the license has, whose value
 * prints as text. A box prints its value with `String` (a list: each item, joined), so a field the
 * surface schema declares an object — or a list of objects — would print `[object Object]` on the
 * sealed license, and one of true or false the word `true` or `false`. Such a binding is refused when the catalog loads, naming the sub-fields to bind
 * instead (`surface.address.city`: layout reads a dotted path through objects).
 */

/** License fields a template may print (besides `surface.<name>`): each one prints as text. */
export const LICENSE_FIELDS: ReadonlySet<string> = new Set([
  'identifier',
  'number',
  'type.name',
  'type.code',
  'issuer.name',
  'issuer.code',
  'issueDate',
  'validFrom',
  'validTo',
  'areaCode',
  'holder.name',
  'holder.id',
]);

type Schema = Record<string, unknown>;

/** Keywords whose schemas a value is held to as well (`allOf`) or instead (`anyOf`, `oneOf`). */
const COMPOSED = ['allOf', 'anyOf', 'oneOf'] as const;

const isSchema = (v: unknown): v is Schema => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The schemas `schema` is composed of (`allOf`, `anyOf`, `oneOf`), in that order. */
const composedOf = (schema: Schema): Schema[] =>
  COMPOSED.flatMap((key) => {
    const alternatives = schema[key];
    return Array.isArray(alternatives) ? alternatives.filter(isSchema) : [];
  });

/** The JSON types a value of `schema` may have, as far as the schema says (`type`, its keywords, the schemas it is composed of). */
function kinds(schema: Schema): Set<string> {
  const out = new Set<string>();
  const t = schema.type;
  if (typeof t === 'string') out.add(t);
  else if (Array.isArray(t)) for (const x of t) out.add(String(x));
  else {
    // No `type`: the keywords say what it may be.
    if (isSchema(schema.properties)) out.add('object');
    if (schema.items !== undefined) out.add('array');
  }
  for (const a of composedOf(schema)) for (const k of kinds(a)) out.add(k);
  return out;
}

/** The schema's properties, with those of the schemas it is composed of (`allOf`, `anyOf`, `oneOf`). */
function propertiesOf(schema: Schema): Record<string, unknown> {
  const own = isSchema(schema.properties) ? schema.properties : {};
  let all: Record<string, unknown> = { ...own };
  for (const a of composedOf(schema)) all = { ...propertiesOf(a), ...all };
  return all;
}

/** Dotted paths of the printable fields under `path` (an object's), for the message. */
function printablePaths(path: string, schema: Schema, depth = 0): string[] {
  const out: string[] = [];
  for (const [name, sub] of Object.entries(propertiesOf(schema))) {
    if (!isSchema(sub)) continue;
    const at = `${path}.${name}`;
    const k = kinds(sub);
    if (k.has('object') && depth < 3) out.push(...printablePaths(at, sub, depth + 1));
    else if (!k.has('object') && !listOfObjects(sub) && !k.has('boolean') && !listOf(sub, 'boolean'))
      out.push(at);
  }
  return out;
}

/** The schemas a list's items are held to: its own `items` (a tuple's each), and those of the schemas it is composed of. */
function itemSchemas(schema: Schema): Schema[] {
  const items = schema.items;
  const out: Schema[] = isSchema(items) ? [items] : Array.isArray(items) ? items.filter(isSchema) : [];
  for (const a of composedOf(schema)) out.push(...itemSchemas(a));
  return out;
}

/** A list some of whose items may be of `kind`: `anyOf: [{ type: 'null' }, { type: array, items: { type: object } }]` too. */
function listOf(schema: Schema, kind: string): boolean {
  if (!kinds(schema).has('array')) return false;
  return itemSchemas(schema).some((items) => kinds(items).has(kind));
}

/** A list some of whose items may be objects. */
const listOfObjects = (schema: Schema): boolean => listOf(schema, 'object');

/**
 * Why a box may not print `field` (a license field, or `surface.<name>[.<sub>…]` of the entry's
 * `surface` schema), or null.
 */
export function faceFieldProblem(field: string, surface: Schema): string | null {
  if (!field.startsWith('surface.')) {
    if (LICENSE_FIELDS.has(field)) return null;
    return unknownField(field, surface);
  }
  let schema: Schema = surface;
  const parts = field.slice('surface.'.length).split('.');
  let path = 'surface';
  for (const part of parts) {
    // Own names only: `__proto__` of any object is Object.prototype, which would read as a schema.
    const properties = propertiesOf(schema);
    const sub = Object.hasOwn(properties, part) ? properties[part] : undefined;
    if (!isSchema(sub)) {
      if (path === 'surface') return unknownField(field, surface);
      const fields = Object.keys(propertiesOf(schema)).map((f) => `${path}.${f}`);
      return `\`${field}\` is not a field of this license type: \`${path}\` has no field \`${part}\` (its fields: ${fields.join(', ') || 'none'})`;
    }
    path = `${path}.${part}`;
    schema = sub;
  }
  if (kinds(schema).has('object')) {
    const paths = printablePaths(field, schema);
    const instead =
      paths.length > 0
        ? `bind one of its fields instead: ${paths.join(', ')}`
        : 'it has no field that prints as text; bind another field';
    return `\`${field}\` is an object, which a text box cannot print (it would show [object Object] on the sealed license); ${instead}`;
  }
  if (listOfObjects(schema)) {
    return `\`${field}\` is a list of objects, which a text box cannot print (each item would show [object Object] on the sealed license); bind a field of text, a number or a list of them (a list of strings made in the mapping, for instance)`;
  }
  // `String(true)`: a yes-or-no field (网络经营) printed the English word on the sealed license.
  if (kinds(schema).has('boolean') || listOf(schema, 'boolean')) {
    return `\`${field}\` is true or false, which a text box cannot print (it would show true or false on the sealed license); make it text in the mapping, the words the license prints (是 or 否, 网络经营 or nothing), and declare it a string`;
  }
  return null;
}

function unknownField(field: string, surface: Schema): string {
  const surfaceFields = Object.keys(propertiesOf(surface)).map((f) => `surface.${f}`);
  const fields = [...LICENSE_FIELDS, ...surfaceFields].join(', ');
  return `\`${field}\` is not a field of this license type (fields: ${fields})`;
}
