/**
 * YAML files with positions: parse with the `yaml` package's LineCounter so every problem in a
 * catalog entry or mapping file reads `file:line:col`.
 */
import {
  type Document,
  isMap,
  isNode,
  isPair,
  isScalar,
  isSeq,
  type LineCounter,
  parseDocument,
  type Scalar,
  visit,
} from 'yaml';
import { ConfigError, type Problem } from '../core/errors.js';
import { anchorProblems, yamlErrorMessage } from '../core/yaml-anchors.js';
import { editorLineCounter } from '../core/yaml-line-counter.js';

export interface YamlSource {
  file: string;
  doc: Document.Parsed;
  lineCounter: LineCounter;
  /** YAML syntax errors (duplicate keys included), located. */
  problems: Problem[];
}

export function parseYamlSource(text: string, file: string): YamlSource {
  // Positions as an editor shows them, after a byte order mark (core/yaml-line-counter.ts).
  const lineCounter = editorLineCounter(text);
  // uniqueKeys (default) makes a repeated key an error instead of a silent overwrite.
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const at = (offset: number, message: string): Problem => {
    const pos = lineCounter.linePos(offset);
    return { file, line: pos.line, column: pos.col, path: '', message };
  };
  // An unquoted `& Co` or `*` is the parser's empty anchor or alias, and `&Co Ltd` or `*Co`
  // parse without error (`&Co Ltd` as `Ltd`; `*Co`'s toJS() a bare ReferenceError later): each
  // is a located problem saying what YAML read and to quote the value, as in the config.
  const alike = keysReadAlike(doc);
  const problems: Problem[] = [
    ...[...doc.errors, ...doc.warnings].map((e) => {
      const message = yamlErrorMessage(e, text);
      const hint = e.code === 'DUPLICATE_KEY' ? alike.get(e.pos[0]) : undefined;
      return at(e.pos[0], hint === undefined ? message : `${message}: ${hint}`);
    }),
    ...anchorProblems(doc).map((p) => at(p.offset, p.message)),
  ];
  return { file, doc, lineCounter, problems };
}

/**
 * Map keys written differently that YAML reads as one value (`01` and `1`, the number 1): by the
 * offset of the later key, what both were read as. Such a table is refused as holding a key twice,
 * beside two keys that read differently on screen.
 */
function keysReadAlike(doc: Document.Parsed): Map<number, string> {
  const out = new Map<number, string>();
  if (doc.errors.length === 0) return out;
  visit(doc, {
    Map(_key, map) {
      const first = new Map<unknown, Scalar>();
      for (const pair of map.items) {
        const key = pair.key;
        if (!isScalar(key) || typeof key.value === 'string' || key.value instanceof Date) continue;
        const earlier = first.get(key.value);
        if (earlier === undefined) {
          first.set(key.value, key);
          continue;
        }
        const [a, b] = [earlier.source, key.source];
        if (typeof a !== 'string' || typeof b !== 'string' || a === b || !key.range) continue;
        const what = typeof key.value === 'number' ? 'the number' : typeof key.value;
        out.set(
          key.range[0],
          `\`${a}\` and \`${b}\` are both read by YAML as ${what} ${String(key.value)}; quote codes ("${a}", "${b}") to keep them apart`,
        );
      }
    },
  });
  return out;
}

export type YamlPath = readonly (string | number)[];

/** The node at `path`, or the pair's key when `key` is set; the deepest node found otherwise. */
function nodeAt(src: YamlSource, path: YamlPath, key: boolean): unknown {
  let node: unknown = src.doc.contents;
  for (let i = 0; i < path.length; i++) {
    const seg = path[i];
    if (isMap(node)) {
      const pair = node.items.find(
        (p) => isPair(p) && String(isScalar(p.key) ? p.key.value : p.key) === String(seg),
      );
      if (!pair) return node;
      if (key && i === path.length - 1) return pair.key;
      node = pair.value ?? pair.key;
    } else if (isSeq(node) && typeof seg === 'number') {
      const item = node.items[seg];
      if (item === undefined) return node;
      node = item;
    } else {
      return node;
    }
  }
  return node;
}

export function positionOf(src: YamlSource, path: YamlPath, key = false): { line: number; column: number } {
  const node = nodeAt(src, path, key);
  const offset = isNode(node) && node.range ? node.range[0] : 0;
  const pos = src.lineCounter.linePos(offset);
  return { line: pos.line, column: pos.col };
}

/** Position of the first map key named `key` anywhere under `path` (document order). */
export function findKey(
  src: YamlSource,
  path: YamlPath,
  key: string,
): { line: number; column: number } | undefined {
  const walk = (node: unknown): number | undefined => {
    if (isMap(node)) {
      for (const pair of node.items) {
        const name = isScalar(pair.key) ? pair.key.value : pair.key;
        if (String(name) === key && isNode(pair.key) && pair.key.range) return pair.key.range[0];
        const inner = walk(pair.value);
        if (inner !== undefined) return inner;
      }
    } else if (isSeq(node)) {
      for (const item of node.items) {
        const inner = walk(item);
        if (inner !== undefined) return inner;
      }
    }
    return undefined;
  };
  const offset = walk(nodeAt(src, path, false));
  if (offset === undefined) return undefined;
  const pos = src.lineCounter.linePos(offset);
  return { line: pos.line, column: pos.col };
}

export function problemAt(src: YamlSource, path: YamlPath, message: string, key = false): Problem {
  const { line, column } = positionOf(src, path, key);
  return { file: src.file, line, column, path: path.join('.'), message };
}

/** JSON pointer (`/surface/premises`) to path segments; array indexes become numbers. */
export function pointerToPath(pointer: string): (string | number)[] {
  if (pointer === '') return [];
  return pointer
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((s) => (/^(0|[1-9][0-9]*)$/.test(s) ? Number(s) : s));
}

/**
 * The document as plain data. The YAML reader refuses aliases that expand past its limit (nine
 * aliases of nine aliases of … nine values: a few lines, millions of values; or one anchor a
 * catalog entry's hundred face fields share) by throwing a bare ReferenceError that names no
 * file: here it is a problem at the document's first alias.
 */
export function yamlData(src: YamlSource): unknown {
  try {
    return src.doc.toJS();
  } catch (e) {
    if (!(e instanceof ReferenceError)) throw e;
    let offset = 0;
    visit(src.doc, {
      Alias(_key, node) {
        offset = node.range?.[0] ?? 0;
        return visit.BREAK;
      },
    });
    const pos = src.lineCounter.linePos(offset);
    throw new ConfigError(
      [
        {
          file: src.file,
          line: pos.line,
          column: pos.col,
          path: '',
          message: 'aliases expand to too many values; write the values out',
        },
      ],
      { cause: e },
    );
  }
}

/**
 * `text` read as a YAML document and as plain data, or undefined with its problems (what the
 * reader refused, aliases expanding past its limit) added to `problems`: a catalog entry or a
 * code-table file read beside others, whose problems are listed together.
 */
export function parsedYaml(
  text: string,
  file: string,
  problems: Problem[],
): { src: YamlSource; data: unknown } | undefined {
  const src = parseYamlSource(text, file);
  if (src.problems.length > 0) {
    problems.push(...src.problems);
    return undefined;
  }
  try {
    return { src, data: yamlData(src) };
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    problems.push(...e.problems);
    return undefined;
  }
}
