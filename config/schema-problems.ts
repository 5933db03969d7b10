import type { ErrorObject } from 'ajv';
import { describeValue, type Problem } from '../core/errors.js';
import { invisibleNote, shownText, unknownKeyMessage } from '../core/invisible-text.js';
import { databaseOnlyKeyMessage } from './schema/sources.js';
import { patternHints } from './schema.js';
import { SECRET_KEYS } from './secret-keys.js';
import { didYouMean, listWords } from './suggest.js';
import { dottedPath, type NodeInfo, nearestNode, type YamlTree } from './yaml-tree.js';

/**
 * Turns ajv's errors into problems a person can act on: located at the YAML node, saying what
 * was expected and what was got, suggesting the key a typo meant — and never echoing a secret or
 * a value that came from a `${…}` reference.
 */

type Schema = Record<string, unknown>;

const NOUNS: Record<string, string> = {
  string: 'string',
  integer: 'integer',
  number: 'number',
  boolean: 'boolean',
  object: 'mapping',
  array: 'list',
  null: 'null',
};

export function schemaProblems(errors: readonly ErrorObject[], tree: YamlTree, file: string): Problem[] {
  const kept = collapseAlternatives(
    errors.filter(
      (e) =>
        // An `if` failure only says its `then` failed; the `then` errors say how.
        e.keyword !== 'if' &&
        ![...tree.failedRefs].some((p) => e.instancePath === p || e.instancePath.startsWith(`${p}/`)),
    ),
  );
  const seen = new Set<string>();
  const out: Problem[] = [];
  for (const e of kept) {
    const located = locate(e, tree);
    const problem: Problem = {
      file,
      line: located.at.line,
      column: located.at.column,
      path: dottedPath(located.segments),
      message: messageFor(e, tree),
    };
    const id = `${problem.line}:${problem.column}:${problem.path}:${problem.message}`;
    if (!seen.has(id)) out.push(problem);
    seen.add(id);
  }
  return out;
}

/**
 * `anyOf` reports every branch's failure. When the value's type picks exactly one branch, keep
 * that branch's errors (they are precise); otherwise keep one summary "expected A or B".
 */
function collapseAlternatives(errors: readonly ErrorObject[]): ErrorObject[] {
  const drop = new Set<ErrorObject>();
  for (const alt of errors.filter((e) => e.keyword === 'anyOf')) {
    const branches = (alt.schema as Schema[]) ?? [];
    const matching = branches.flatMap((b, i) => (typeMatches(b.type, alt.data) ? [i] : []));
    const inside = errors.filter((e) => e.schemaPath.startsWith(`${alt.schemaPath}/`));
    const keepBranch = matching.length === 1 ? `${alt.schemaPath}/${matching[0]}/` : undefined;
    for (const e of inside) if (keepBranch === undefined || !e.schemaPath.startsWith(keepBranch)) drop.add(e);
    if (keepBranch !== undefined) drop.add(alt);
  }
  // A `oneOf` that picks by required key is reported once, as "exactly one of …".
  for (const alt of errors.filter((e) => e.keyword === 'oneOf' && requiredKeys(e).length > 0)) {
    for (const e of errors) if (e.schemaPath.startsWith(`${alt.schemaPath}/`)) drop.add(e);
  }
  return errors.filter((e) => !drop.has(e));
}

/** Keys of a `oneOf` whose alternatives are told apart by the key each requires (`sentinels` or `cluster`). */
function requiredKeys(e: ErrorObject): string[] {
  const branches = Array.isArray(e.schema) ? (e.schema as Schema[]) : [];
  const keys = branches.map((b) => (b.required as string[] | undefined)?.[0]);
  return keys.every((k) => k !== undefined) ? (keys as string[]) : [];
}

function typeMatches(type: unknown, value: unknown): boolean {
  const types = Array.isArray(type) ? type : [type];
  const actual = jsonType(value);
  return types.some((t) => t === actual || (t === 'number' && actual === 'integer'));
}

function jsonType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
}

function locate(
  e: ErrorObject,
  tree: YamlTree,
): { at: { line: number; column: number }; segments: readonly (string | number)[] } {
  const info = nearestNode(tree.nodes, e.instancePath);
  const segments =
    info && tree.nodes.get(e.instancePath) === info ? info.segments : decodePointer(e.instancePath);
  const fallback = info?.value ?? { line: 1, column: 1 };
  if (e.keyword === 'additionalProperties') {
    const key = String((e.params as { additionalProperty: string }).additionalProperty);
    return { at: info?.keys?.get(key) ?? fallback, segments };
  }
  if (e.keyword === 'discriminator') {
    const tag = String((e.params as { tag: string }).tag);
    const tagNode = tree.nodes.get(`${e.instancePath}/${tag}`);
    return tagNode ? { at: tagNode.value, segments: tagNode.segments } : { at: fallback, segments };
  }
  if (e.keyword === 'uniqueItems') {
    const { i, j } = e.params as { i: number; j: number };
    const item = tree.nodes.get(`${e.instancePath}/${Math.max(i, j)}`);
    return item ? { at: item.value, segments: item.segments } : { at: fallback, segments };
  }
  return { at: fallback, segments };
}

function decodePointer(pointer: string): string[] {
  if (pointer === '') return [];
  return pointer
    .slice(1)
    .split('/')
    .map((s) => s.replaceAll('~1', '/').replaceAll('~0', '~'));
}

function messageFor(e: ErrorObject, tree: YamlTree): string {
  const parent = (e.parentSchema ?? {}) as Schema;
  const info = tree.nodes.get(e.instancePath);
  const got = (value: unknown = e.data, node: NodeInfo | undefined = info) => describeSafely(value, node);
  const params = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case 'type': {
      const expected = typeNouns(parent.type);
      const quoteHint =
        expected === 'string' && (typeof e.data === 'number' || info?.written !== undefined) && !info?.ref
          ? '; quote it to keep it text'
          : '';
      return `expected ${expected}, got ${got()}${quoteHint}`;
    }
    case 'required':
      return `missing required key \`${String(params.missingProperty)}\``;
    case 'additionalProperties': {
      const key = String(params.additionalProperty);
      // A key holding an invisible character looks like the one meant: name the character.
      const invisible = invisibleNote(key);
      if (parent.patternProperties) {
        const pattern = Object.keys(parent.patternProperties as Schema)[0] ?? '';
        const why = invisible ?? `expected ${patternHints[pattern] ?? pattern}`;
        return `\`${shownText(key)}\` is not a valid name: ${why}`;
      }
      // A database source's key on an xml-files source: say why it is refused, not what is allowed.
      const databaseOnly = /^\/sources\/[^/]+$/.test(e.instancePath)
        ? databaseOnlyKeyMessage((e.data as Record<string, unknown> | null)?.kind, key)
        : undefined;
      if (databaseOnly) return databaseOnly;
      const allowed = Object.keys((parent.properties as Schema | undefined) ?? {});
      const hint = didYouMean(key, allowed);
      return `${unknownKeyMessage(key)}${hint || `; expected one of ${listWords(allowed)}`}`;
    }
    case 'enum': {
      const allowed = ((e.schema as unknown[]) ?? []).map(String);
      const hint = typeof e.data === 'string' && !info?.ref ? didYouMean(e.data, allowed) : '';
      return `expected ${listWords(allowed)}, got ${got()}${hint}`;
    }
    case 'const':
      return `expected \`${String(e.schema)}\`, got ${got()}`;
    case 'pattern': {
      const pattern = String(e.schema);
      return `expected ${patternHints[pattern] ?? `text matching /${pattern}/`}, got ${got()}`;
    }
    case 'minimum':
    case 'maximum':
      return `expected ${rangeText(parent)}, got ${got()}`;
    case 'minLength': {
      const expected =
        Number(e.schema) <= 1
          ? 'expected a non-empty string'
          : `expected at least ${String(e.schema)} characters`;
      // A variable set to the empty string: the file looks right, so say where the value came from.
      if (info?.ref === undefined) return expected;
      const written = info.ref.length > 60 ? `${info.ref.slice(0, 57)}...` : info.ref;
      return `${expected}, got ${e.data === '' ? 'an empty string' : 'a shorter string'} from \`${written}\``;
    }
    case 'minItems': {
      const n = Array.isArray(e.data) ? e.data.length : 0;
      return `expected at least ${String(e.schema)} item${Number(e.schema) === 1 ? '' : 's'}, got ${n === 0 ? 'none' : n}`;
    }
    case 'uniqueItems': {
      const j = Math.max(Number(params.i), Number(params.j));
      const item = Array.isArray(e.data) ? e.data[j] : undefined;
      return `${describeWord(item, tree.nodes.get(`${e.instancePath}/${j}`))} is listed twice`;
    }
    case 'discriminator':
      return discriminatorMessage(e, parent, tree);
    case 'anyOf': {
      const branches = ((e.schema as Schema[]) ?? []).map(branchText);
      return `expected ${branches.join(' or ')}, got ${got()}`;
    }
    case 'oneOf': {
      const keys = requiredKeys(e);
      if (keys.length > 0) return `expected exactly one of the keys ${listWords(keys)}`;
      return `${e.message ?? 'invalid'}, got ${got()}`;
    }
    case 'dependencies':
      return `missing required key \`${String(params.missingProperty)}\` (needed with \`${String(params.property)}\`)`;
    default:
      return `${e.message ?? 'invalid'}, got ${got()}`;
  }
}

function discriminatorMessage(e: ErrorObject, parent: Schema, tree: YamlTree): string {
  const tag = String((e.params as { tag: string }).tag);
  const allowed = ((parent.oneOf as Schema[] | undefined) ?? []).flatMap((variant) => {
    const prop = (variant.properties as Record<string, Schema> | undefined)?.[tag] ?? {};
    return prop.const !== undefined ? [String(prop.const)] : ((prop.enum as unknown[]) ?? []).map(String);
  });
  const tagNode = tree.nodes.get(`${e.instancePath}/${tag}`);
  const value = (e.data as Record<string, unknown> | null)?.[tag];
  if (value === undefined) return `missing required key \`${tag}\`; expected one of ${listWords(allowed)}`;
  const hint = typeof value === 'string' && !tagNode?.ref ? didYouMean(value, allowed) : '';
  return `unknown ${tag} ${describeWord(value, tagNode)}; expected one of ${listWords(allowed)}${hint}`;
}

function typeNouns(type: unknown): string {
  const types = (Array.isArray(type) ? type : [type]).map((t) => NOUNS[String(t)] ?? String(t));
  return types.join(' or ');
}

function rangeText(schema: Schema): string {
  const noun = typeNouns(schema.type === undefined ? 'number' : schema.type);
  const { minimum: min, maximum: max } = schema;
  if (min !== undefined && max !== undefined) return `${noun} from ${String(min)} to ${String(max)}`;
  if (min !== undefined) return `${noun} of at least ${String(min)}`;
  return `${noun} of at most ${String(max)}`;
}

function branchText(branch: Schema): string {
  if (Array.isArray(branch.enum)) return listWords(branch.enum.map(String));
  if (branch.type === 'array') {
    const items = (branch.items as Schema | undefined)?.type;
    return items === undefined ? 'a list' : `a list of ${typeNouns(items)}s`;
  }
  return typeNouns(branch.type);
}

/** A word the user wrote (a name, a kind) shown as itself; anything else described safely. */
function describeWord(value: unknown, node: NodeInfo | undefined): string {
  return typeof value === 'string' && node?.ref === undefined && value.length <= 40
    ? `\`${value}\``
    : describeSafely(value, node);
}

/** Describe a value for a message; values from `${…}` references and secrets are never shown. */
function describeSafely(value: unknown, node: NodeInfo | undefined): string {
  const noun = NOUNS[jsonType(value)] ?? 'value';
  if (node?.ref !== undefined) {
    const written = node.ref.length > 60 ? `${node.ref.slice(0, 57)}...` : node.ref;
    return `${article(noun)} ${noun} from \`${written}\``;
  }
  const last = node?.segments[node.segments.length - 1];
  if (typeof last === 'string' && SECRET_KEYS.has(last)) return `${article(noun)} ${noun} (not shown)`;
  // As written, and how YAML read it: `0370211` (YAML 1.1 octal) was "got `127113`", a number the
  // file does not hold, and a YAML 1.1 day "got an object".
  if (node?.written !== undefined) {
    const read =
      value instanceof Date
        ? 'a date'
        : typeof value === 'number'
          ? `the number ${String(value)}`
          : String(value);
    return `\`${node.written}\`, which YAML reads as ${read}`;
  }
  return describeValue(value);
}

function article(noun: string): string {
  return /^[aeiou]/.test(noun) ? 'an' : 'a';
}
