/**
 * YAML values as written, for every place a mapping or mapping test file compares or writes a
 * code: code tables (dictionaries.ts), `when:` conditions, `const`/`fallback`/`default`, and the
 * rows and expected values of mapping tests. YAML 1.2 reads an unquoted `01` as the integer 1, so
 * `{ 01: valid, 02: suspended }`, `in: [01, 02]` or `row: { ZT: 01 }` silently lost their zeros
 * and source code "02" missed or took another branch. A plain number whose text is not its own
 * canonical text (`01`, `0532`, `1.50`, `0x1F`, `1e3`) is therefore the text written, and so is a
 * boolean a YAML 1.1 document reads from `Y`, `N`, `yes`, `no`, `on` or `off`, and a timestamp it reads
 * from `2026-01-01`; `1`, `-3`, `2.5`,
 * quoted text, true/false and null are as YAML reads them.
 */
import { isAlias, isMap, isScalar, isSeq } from 'yaml';
import type { YamlPath, YamlSource } from '../catalog/yaml-source.js';

// The document as plain data, its alias limit a located problem: shared with catalog entries.
export { yamlData } from '../catalog/yaml-source.js';

// The spellings of true and false in YAML 1.2's core schema. A YAML 1.1 document (`%YAML 1.1`)
// reads `y`, `N`, `yes`, `no`, `on`, `off` … as booleans too: Y/N flags of legacy tables.
const CORE_BOOLEAN = /^(?:true|True|TRUE|false|False|FALSE)$/;

/**
 * One scalar node as written: its source text when it is a number not written in its plain form,
 * a boolean not written as YAML 1.2 writes one (a YAML 1.1 `N`), or a YAML 1.1 timestamp.
 */
export function asWritten(node: unknown, parsed: unknown): unknown {
  if (isScalar(node) && typeof node.value === 'number') {
    const text = node.source;
    if (typeof text === 'string' && text !== String(node.value)) return text;
  }
  if (isScalar(node) && typeof node.value === 'boolean') {
    const text = node.source;
    if (typeof text === 'string' && !CORE_BOOLEAN.test(text)) return text;
  }
  // A YAML 1.1 timestamp (`2026-01-01` unquoted): YAML 1.2 reads the text, which is what a code
  // table, a `when` or a `const` compares and writes; a Date here was a key no source value names.
  if (isScalar(node) && node.value instanceof Date) {
    const text = node.source;
    if (typeof text === 'string') return text;
  }
  return parsed;
}

/** A map key as toJS names it (its parsed value as text). */
export const parsedKey = (key: unknown): string => String(isScalar(key) ? key.value : key);

/** The node at exactly `path` (map keys compared as parsed text, aliases followed), or undefined. */
export function yamlNodeAt(src: YamlSource, path: YamlPath): unknown {
  let node: unknown = src.doc.contents;
  for (const seg of path) {
    if (isAlias(node)) node = node.resolve(src.doc);
    if (isMap(node)) node = node.items.find((p) => parsedKey(p.key) === String(seg))?.value;
    else if (isSeq(node) && typeof seg === 'number') node = node.items[seg];
    else return undefined;
  }
  return isAlias(node) ? node.resolve(src.doc) : node;
}

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Sets `key` as an own property: `obj[key] = v` with the key `__proto__` sets the prototype instead
 * (a text is dropped, a map becomes the object's prototype), and such a key is a name like any
 * other here, a column's or a code's.
 */
export function setOwn(obj: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__')
    Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
  else obj[key] = value;
}

/** Deeper than any mapping is written: a guard against an anchor that holds itself. */
const MAX_DEPTH = 64;

/**
 * `parsed` — what toJS made of the node at `path` — with every number in it (map keys included)
 * as written (`asWritten`), at any depth. Where the document and `parsed` part ways (a value
 * built in code, a merge key) `parsed` is kept. `twice` hears of a map key that, read as
 * written, names a key already there (`01` beside `"01"`), with the path of the later one.
 */
export function writtenAt(
  src: YamlSource,
  path: YamlPath,
  parsed: unknown,
  twice?: (key: string, at: YamlPath) => void,
): unknown {
  const walk = (node: unknown, value: unknown, at: YamlPath, depth: number): unknown => {
    const n = isAlias(node) ? node.resolve(src.doc) : node;
    if (depth > MAX_DEPTH) return value;
    if (isScalar(n)) return asWritten(n, value);
    if (isSeq(n) && Array.isArray(value) && n.items.length === value.length)
      return value.map((v, i) => walk(n.items[i], v, [...at, i], depth + 1));
    if (isMap(n) && isRecord(value)) {
      const out: Record<string, unknown> = {};
      const seen = new Set<string>();
      for (const pair of n.items) {
        const key = parsedKey(pair.key);
        if (!Object.hasOwn(value, key) || seen.has(key)) continue;
        seen.add(key);
        const written = String(asWritten(pair.key, key));
        if (Object.hasOwn(out, written)) twice?.(written, [...at, key]);
        setOwn(out, written, walk(pair.value, value[key], [...at, key], depth + 1));
      }
      // Keys toJS made that no pair names as such (a `<<` merge): as parsed.
      for (const key of Object.keys(value))
        if (!seen.has(key) && !Object.hasOwn(out, key)) setOwn(out, key, value[key]);
      return out;
    }
    return value;
  };
  return walk(yamlNodeAt(src, path), parsed, path, 0);
}
