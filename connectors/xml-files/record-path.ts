/**
 * Where a record path leads in a parsed export, and the records it misses. A file whose root is
 * the path's first element but whose records sit elsewhere — the export tool's next release
 * renamed the record element (`<Record>` became `<Row>`) or its container, or wrapped the records
 * in one more level — matched nothing and was read as an empty export: recorded as read, never
 * looked at again, every record of it lost without a word. An export with no records writes an
 * empty container, none, or a header beside it: elements that carry fields, but not the stream's
 * key, as moved records do.
 */

import { elementName, parsedName } from './member-names.js';
import { clashingNames, NAMESPACE_MARK } from './namespace-clashes.js';
import { PRESERVE_MARK } from './space-scopes.js';
import { SPLIT_MARK } from './split-text.js';

/** fast-xml-parser's names for an element's attributes (a prefix) and its text (records.ts). */
export const ATTR = '@_';
export const TEXT = '#text';

/**
 * A name without its namespace prefix (`lic:MC` → `MC`), as a record path written without
 * prefixes reads elements and attributes (records.ts `matchesLocalNames`).
 */
export function localName(name: string): string {
  // By index: called for every element of a file, a split array each time was ~5 % of a read.
  const colon = name.indexOf(':');
  return colon < 0 || name.includes(':', colon + 1) ? name : name.slice(colon + 1);
}

/** A namespace declaration (`xmlns`, `xmlns:lic`): no field of a record. */
export function declaresNamespace(attribute: string): boolean {
  return attribute === 'xmlns' || attribute.startsWith('xmlns:');
}

/** The nodes at `path` below `root`, flattening repeated intermediate elements, in document order. */
export function nodesAt(root: unknown, path: readonly string[]): unknown[] {
  let nodes: unknown[] = [root];
  for (const segment of path) {
    const next: unknown[] = [];
    for (const node of nodes) {
      if (node === null || typeof node !== 'object' || Array.isArray(node)) continue;
      const name = parsedName(segment);
      if (!Object.hasOwn(node, name)) continue;
      const child = (node as Record<string, unknown>)[name];
      // One by one: spread into push, a file's 130,000-odd records overflowed the call stack.
      if (Array.isArray(child)) for (const c of child) next.push(c);
      else next.push(child);
    }
    nodes = next;
  }
  return nodes;
}

/**
 * Where an element of the record path is written in two namespaces among the children of one
 * element (`<Record>` and `<del:Record>` in `<Records>`), as namespace-clashes.ts marks it: read by
 * their local name, the elements of both were taken for records, deletions an export tool writes so
 * among them. The containing element's name and the two names as written, or null.
 */
export function pathInTwoNamespaces(
  root: unknown,
  path: readonly string[],
): { container: string; names: [string, string] } | null {
  let nodes: unknown[] = [root];
  for (const [i, segment] of path.entries()) {
    for (const node of nodes) {
      if (node === null || typeof node !== 'object' || Array.isArray(node)) continue;
      const mark = (node as Record<string, unknown>)[`${ATTR}${NAMESPACE_MARK}`];
      const names = typeof mark === 'string' ? clashingNames(mark).get(segment) : undefined;
      if (names) return { container: path[i - 1] ?? '', names };
    }
    nodes = nextNodes(nodes, segment);
  }
  return null;
}

function nextNodes(nodes: readonly unknown[], segment: string): unknown[] {
  const next: unknown[] = [];
  for (const node of nodes) for (const child of nodesAt(node, [segment])) next.push(child);
  return next;
}

/** The child elements of a node, by name, each occurrence of a repeated one. */
function children(node: unknown): [string, unknown][] {
  if (node === null || typeof node !== 'object' || Array.isArray(node)) return [];
  return Object.entries(node as Record<string, unknown>)
    .filter(([name]) => name !== TEXT && !name.startsWith(ATTR))
    .flatMap(([name, value]) =>
      (Array.isArray(value) ? value : [value]).map((v): [string, unknown] => [elementName(name), v]),
    );
}

/**
 * Whether an element reads as a record: it carries fields, child elements or attributes (the mark
 * of an `xml:space="preserve"` scope or of split text, space-scopes.ts and split-text.ts, is none
 * of the export's).
 */
function recordLike(node: unknown): boolean {
  return (
    node !== null &&
    typeof node === 'object' &&
    Object.keys(node).some(
      (k) =>
        k !== TEXT &&
        k !== `${ATTR}${PRESERVE_MARK}` &&
        k !== `${ATTR}${SPLIT_MARK}` &&
        k !== `${ATTR}${NAMESPACE_MARK}`,
    )
  );
}

/** Where elements that may be moved records sit, and the fields they carry themselves. */
export interface StrayRecords {
  /** What the file holds, as an error says it: `its <Records> holds <Row> elements`. */
  where: string;
  /** The field names those elements carry (records.ts flattens them as it flattens a record). */
  fields: string[];
}

/** Each element named `name` that reads as a record below `node`, by path, its fields merged. */
function findRecords(
  node: unknown,
  name: string,
  at: readonly string[],
  fieldsOf: (node: unknown) => string[],
  out: Map<string, Set<string>>,
): void {
  for (const [child, value] of children(node)) {
    const here = [...at, child];
    if (child === name && recordLike(value)) {
      const key = here.join('/');
      const fields = out.get(key) ?? new Set<string>();
      for (const f of fieldsOf(value)) fields.add(f);
      out.set(key, fields);
    }
    findRecords(value, name, here, fieldsOf, out);
  }
}

/**
 * The elements of a document with no record at `path` that may be its records, moved: elements of
 * another name in the record element's container (`<Records><Row>`), and elements named as the
 * record element below that container (one more level, `Root/Records/Page/Record`) or, where the
 * file has no such container, anywhere (`Root/Data/Record`). Whether they are records is for the
 * stream's key to tell (carried.ts): an empty export's header or count carries fields too, and in
 * a two-level path (`Licenses/License`) it sits in the container itself. A container that is
 * there keeps elements named as the record element in another section (`<Changes>`) out of it.
 * Names are shown through `show` (a piece of a value may read as an element name).
 */
export function strayRecords(
  doc: unknown,
  path: readonly string[],
  show: (name: string) => string,
  fieldsOf: (node: unknown) => string[],
): StrayRecords[] {
  const record = path[path.length - 1];
  if (path.length < 2 || record === undefined) return [];
  const containerPath = path.slice(0, -1);
  const containers = nodesAt(doc, containerPath);
  const strays = besideRecords(doc, path, show, fieldsOf);
  const named = new Map<string, Set<string>>();
  if (containers.length === 0) findRecords(doc, record, [], fieldsOf, named);
  else for (const node of containers) findRecords(node, record, containerPath, fieldsOf, named);
  for (const [at, fields] of named) {
    strays.push({
      where: `it holds <${show(record)}> elements at ${at.split('/').map(show).join('/')}`,
      fields: [...fields],
    });
  }
  return strays;
}

/**
 * The elements of another name than the record element's in its container (`<Records><Deleted>`),
 * each name once with the fields its elements carry. In a file with no record they may be its
 * records, moved (strayRecords); beside records, ones carrying the stream's key are not read
 * (deletions an export tool writes as elements of their own, say), which the read tells of.
 */
export function besideRecords(
  doc: unknown,
  path: readonly string[],
  show: (name: string) => string,
  fieldsOf: (node: unknown) => string[],
): StrayRecords[] {
  const record = path[path.length - 1];
  if (path.length < 2 || record === undefined) return [];
  const container = path[path.length - 2] as string;
  const others = new Map<string, Set<string>>();
  for (const node of nodesAt(doc, path.slice(0, -1))) {
    for (const [name, value] of children(node)) {
      if (name === record || !recordLike(value)) continue;
      const fields = others.get(name) ?? new Set<string>();
      for (const f of fieldsOf(value)) fields.add(f);
      others.set(name, fields);
    }
  }
  return [...others].map(([name, fields]) => ({
    where: `its <${show(container)}> holds <${show(name)}> elements`,
    fields: [...fields],
  }));
}
