import {
  type Document,
  isAlias,
  isMap,
  isScalar,
  isSeq,
  type LineCounter,
  type Pair,
  type Node as YamlNode,
} from 'yaml';
import type { Problem } from '../core/errors.js';
import { registerSecret } from '../core/scrub.js';
import { unknownAliasMessage, unusedAnchorMessage, usedAnchors } from '../core/yaml-anchors.js';
import { type RefContext, resolveRefs } from './refs.js';
import { SECRET_KEYS, urlWithPassword } from './secret-keys.js';

/**
 * Turns a parsed YAML document into plain data while remembering where every value sits in the
 * file, so a validation error on `/pipelines/food/stream/cursor` can point at its line and column.
 * `${…}` references are resolved here, on string scalars only, and the values they produced are
 * marked so no message ever echoes them.
 */

export interface Position {
  readonly line: number;
  readonly column: number;
}

export interface NodeInfo {
  /** Path segments from the root; numbers are list indexes. */
  readonly segments: readonly (string | number)[];
  /** Where the value starts (or its key, when the value is empty). */
  readonly value: Position;
  /** Where the key of this value starts, when it is a mapping entry. */
  readonly key?: Position;
  /** Set when the value came from a `${…}` reference: the scalar as written in the file. */
  readonly ref?: string;
  /**
   * Set when YAML read a plain scalar as a number or a boolean that does not write back as it was
   * written (`0102` is 102, `370211000000000001` is 370211000000000000, YAML 1.1's `yes` is true),
   * or as a date (YAML 1.1's `2027-01-01`): the scalar as written.
   */
  readonly written?: string;
  /** Mapping keys at this node, with their positions, for "unknown key" problems. */
  readonly keys?: ReadonlyMap<string, Position>;
}

export interface TreeProblem {
  readonly at: Position;
  readonly segments: readonly (string | number)[];
  readonly message: string;
}

export interface YamlTree {
  readonly data: unknown;
  /** By JSON pointer, as ajv's `instancePath` spells it (`''` is the root). */
  readonly nodes: ReadonlyMap<string, NodeInfo>;
  readonly problems: readonly TreeProblem[];
  /** Pointers whose reference failed to resolve; schema errors there would only repeat it. */
  readonly failedRefs: ReadonlySet<string>;
}

/** Deeper than any real config; guards against an anchor that holds itself. */
const MAX_DEPTH = 64;
/**
 * Values read through aliases, at most: far more than any config reuses, far fewer than nine
 * aliases of nine aliases of … nine values (a few lines, tens of millions of values) would walk.
 */
const MAX_ALIASED_VALUES = 10_000;

export function jsonPointer(segments: readonly (string | number)[]): string {
  return segments.map((s) => `/${String(s).replaceAll('~', '~0').replaceAll('/', '~1')}`).join('');
}

/** Whether a schema error at one of `paths` (JSON pointers) lies at `at` or within it. */
export function faultWithin(paths: readonly string[], at: string): boolean {
  return paths.some((p) => p === at || p.startsWith(`${at}/`));
}

/**
 * A problem with the value at `segments`, located at its node (line 1, column 1 when the value
 * is not in the file: a default, or a key the tree has no node for).
 */
export function problemAtPath(
  tree: YamlTree,
  file: string,
  segments: readonly (string | number)[],
  message: string,
): Problem {
  const node = tree.nodes.get(jsonPointer(segments));
  return {
    file,
    line: node?.value.line ?? 1,
    column: node?.value.column ?? 1,
    path: dottedPath(segments),
    message,
  };
}

/** A YAML map's entries, or undefined for anything else (the schema reports wrong shapes). */
export function asRecord(value: unknown): Record<string, unknown> | undefined {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}

/** Calls `visit` for every scalar under `value` (a loaded config), with its path from the root. */
export function forEachLeaf(
  value: unknown,
  visit: (leaf: unknown, segments: (string | number)[]) => void,
  segments: (string | number)[] = [],
): void {
  if (Array.isArray(value)) {
    for (const [i, v] of value.entries()) forEachLeaf(v, visit, [...segments, i]);
  } else if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) forEachLeaf(v, visit, [...segments, k]);
  } else {
    visit(value, segments);
  }
}

/** `pipelines.food.targets[0]` */
export function dottedPath(segments: readonly (string | number)[]): string {
  let out = '';
  for (const s of segments) out += typeof s === 'number' ? `[${s}]` : out === '' ? s : `.${s}`;
  return out;
}

export function buildTree(doc: Document, lines: LineCounter, refs: RefContext): YamlTree {
  const nodes = new Map<string, NodeInfo>();
  const problems: TreeProblem[] = [];
  const failedRefs = new Set<string>();
  let aliased = 0;
  const targets = new Map<unknown, unknown>();
  const anchors = usedAnchors(doc);
  const secretKey = (segments: readonly (string | number)[]): boolean => {
    const last = segments[segments.length - 1];
    return typeof last === 'string' && SECRET_KEYS.has(last);
  };
  const pos = (offset: number | undefined): Position => {
    if (offset === undefined) return { line: 1, column: 1 };
    const p = lines.linePos(offset);
    return { line: p.line, column: p.col };
  };

  const walk = (
    node: unknown,
    segments: (string | number)[],
    key: Position | undefined,
    depth: number,
    /** Where the alias this value is read through stands in the file (the outermost one). */
    viaAlias?: Position,
  ): unknown => {
    const pointer = jsonPointer(segments);
    const start = (node as YamlNode | null)?.range?.[0];
    const at = start === undefined ? (key ?? pos(undefined)) : pos(start);
    const base = { segments, value: at, ...(key ? { key } : {}) };
    if (depth > MAX_DEPTH) {
      problems.push({ at, segments, message: `nested deeper than ${MAX_DEPTH} levels` });
      return null;
    }
    if (viaAlias && ++aliased > MAX_ALIASED_VALUES) {
      if (aliased === MAX_ALIASED_VALUES + 1) {
        problems.push({
          at: viaAlias,
          segments,
          message: `aliases expand to more than ${MAX_ALIASED_VALUES} values; write the values out`,
        });
      }
      return null;
    }
    if (isAlias(node)) {
      // `resolve` searches the document for the anchor each time: once per alias node is enough.
      let target = targets.get(node);
      if (target === undefined && !targets.has(node)) {
        target = node.resolve(doc);
        targets.set(node, target);
      }
      if (target === undefined) {
        problems.push({ at, segments, message: unknownAliasMessage(node.source, secretKey(segments)) });
        failedRefs.add(pointer);
        nodes.set(pointer, base);
        return null;
      }
      return walk(target ?? null, segments, key ?? at, depth + 1, viaAlias ?? at);
    }
    if (isMap(node)) {
      const out: Record<string, unknown> = {};
      const keys = new Map<string, Position>();
      nodes.set(pointer, { ...base, keys });
      // The secret before this pair, when unquoted in a flow mapping: a `,` ends it there.
      let cutAt: string | undefined;
      for (const pair of node.items as Pair<unknown, unknown>[]) {
        const keyNode = pair.key;
        const keyAt = pos((keyNode as YamlNode | null)?.range?.[0]);
        if (cutAt !== undefined && pair.value === null && isScalar(keyNode) && keyNode.type === 'PLAIN') {
          // `{ secret: Gx9,k2 }` is the secret `Gx9` and a key `k2` with no value (no `:`): the
          // secret's tail, which an unknown-key problem printed. Said once, at the secret.
          if (!failedRefs.has(cutAt)) {
            const secretNode = nodes.get(cutAt);
            const secretSegments = secretNode?.segments ?? segments;
            const name = String(secretSegments[secretSegments.length - 1]);
            problems.push({
              at: secretNode?.value ?? keyAt,
              segments: secretSegments,
              message: `\`${name}\` is a secret written unquoted in a flow mapping (\`{ … }\`) and holding \`,\` (not shown): YAML ends the value at the \`,\` and reads the rest as keys; quote the secret, or better write it as \`\${env:NAME}\` or \`\${file:path}\``,
            });
            failedRefs.add(cutAt);
          }
          continue;
        }
        cutAt =
          node.flow === true &&
          isScalar(keyNode) &&
          isScalar(pair.value) &&
          pair.value.type === 'PLAIN' &&
          secretKey([...segments, String(keyNode.value)]) &&
          segments[segments.length - 1] !== 'stream'
            ? jsonPointer([...segments, String(keyNode.value)])
            : undefined;
        // YAML 1.2 has no merge keys: `<<: *base` is read as a key named `<<`, and the schema would
        // report only the keys it was meant to bring in (`missing required key kind`). A YAML 1.1
        // document (`%YAML 1.1`) reads it as a merge key, given as a key that is no text.
        if (isScalar(keyNode) && keyNode.type === 'PLAIN' && keyNode.source === '<<') {
          problems.push({
            at: keyAt,
            segments,
            message:
              'YAML merge keys (`<<`) are not supported: write the keys out (an alias `*name` for a whole value works)',
          });
          continue;
        }
        if (!(isScalar(keyNode) && ['string', 'number', 'boolean'].includes(typeof keyNode.value))) {
          problems.push({ at: keyAt, segments, message: 'keys must be plain words' });
          continue;
        }
        const name = String(keyNode.value);
        // `001:` is the number 1 to YAML: the key would be `1`, reported as unknown beside `001`.
        if (typeof keyNode.value !== 'string' && keyNode.source !== undefined && keyNode.source !== name) {
          const reads = typeof keyNode.value === 'number' ? `the number ${name}` : name;
          problems.push({
            at: keyAt,
            segments,
            message: `key \`${keyNode.source}\` is read by YAML as ${reads}; quote it (\`"${keyNode.source}"\`) to keep it text`,
          });
          continue;
        }
        // `2027:` (a number) and `"2027":` (text) are two keys to the parser, which lets them both
        // be, and one here: the later replaced the earlier without a word.
        if (keys.has(name)) {
          problems.push({
            at: keyAt,
            segments,
            message: `duplicate key \`${name}\` (also at line ${keys.get(name)?.line}): YAML reads \`${name}\` and \`"${name}"\` as two keys, the config as one`,
          });
          continue;
        }
        keys.set(name, keyAt);
        const value = walk(pair.value, [...segments, name], keyAt, depth + 1, viaAlias);
        // `out.__proto__ = …` sets the prototype: the key vanished, its keys inherited, unreported.
        if (name === '__proto__')
          Object.defineProperty(out, name, { value, enumerable: true, writable: true, configurable: true });
        else out[name] = value;
      }
      return out;
    }
    if (isSeq(node)) {
      nodes.set(pointer, base);
      return node.items.map((item, i) => walk(item, [...segments, i], undefined, depth + 1, viaAlias));
    }
    if (isScalar(node)) {
      if (node.anchor !== undefined && !anchors.has(node.anchor)) {
        const secret = secretKey(segments) || (typeof node.value === 'string' && urlWithPassword(node.value));
        problems.push({ at: key ?? at, segments, message: unusedAnchorMessage(node.anchor, secret) });
        failedRefs.add(pointer);
        nodes.set(pointer, base);
        return null;
      }
      if (typeof node.value !== 'string') {
        const written = node.source;
        // A YAML 1.1 timestamp (`2027-01-01`) is a Date, never written as it reads.
        const changed =
          typeof written === 'string' &&
          (node.value instanceof Date ||
            ((typeof node.value === 'number' || typeof node.value === 'boolean') &&
              written !== String(node.value)));
        nodes.set(pointer, changed ? { ...base, written } : base);
        return node.value ?? null;
      }
      // A secret written inline (`password: "Gx${q8…"`) is refused without being quoted.
      const secret = secretKey(segments) || urlWithPassword(node.value);
      const r = resolveRefs(node.value, secret ? { ...refs, secret } : refs);
      // From here on no message, log line, ledger row or Redis value can carry these (core/scrub.ts).
      for (const s of r.secrets) registerSecret(s.value, s.ref, { marked: secret });
      if (!r.hasRefs && r.problems.length === 0) {
        nodes.set(pointer, base);
        return r.value;
      }
      nodes.set(pointer, { ...base, ref: node.value });
      if (r.problems.length > 0) failedRefs.add(pointer);
      for (const message of r.problems) problems.push({ at, segments, message });
      return r.value;
    }
    // An entry with no value (`cursor:`) reads as null, like YAML itself says.
    nodes.set(pointer, base);
    return null;
  };

  const data = walk(doc.contents, [], undefined, 0);
  return { data, nodes, problems, failedRefs };
}

/** The closest recorded node at or above a pointer (defaults have no node of their own). */
export function nearestNode(nodes: ReadonlyMap<string, NodeInfo>, pointer: string): NodeInfo | undefined {
  let p = pointer;
  for (;;) {
    const found = nodes.get(p);
    if (found || p === '') return found;
    p = p.slice(0, p.lastIndexOf('/'));
  }
}
