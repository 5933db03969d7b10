/**
 * Where a record path leads in a parsed export, and the records it misses. A file whose root is
 * the path's first element but whose records sit elsewhere — the export tool's next release
 * renamed the record element (`<Record>` became `<Row>`) or its container, or wrapped the records
 * in one more level — matched nothing and was read as an empty export: recorded as read, never
 * looked at again, every record of it lost without a word. An export with no records writes an
 * empty container, none, or a header beside it, and holds no element that reads as a record
 * where the path leads or under the record element's name.
 */

/** fast-xml-parser's names for an element's attributes (a prefix) and its text (records.ts). */
export const ATTR = '@_';
export const TEXT = '#text';

/** The nodes at `path` below `root`, flattening repeated intermediate elements, in document order. */
export function nodesAt(root: unknown, path: readonly string[]): unknown[] {
  let nodes: unknown[] = [root];
  for (const segment of path) {
    const next: unknown[] = [];
    for (const node of nodes) {
      if (node === null || typeof node !== 'object' || Array.isArray(node)) continue;
      const child = (node as Record<string, unknown>)[segment];
      if (child === undefined) continue;
      if (Array.isArray(child)) next.push(...child);
      else next.push(child);
    }
    nodes = next;
  }
  return nodes;
}

/** The child elements of a node, by name, each occurrence of a repeated one. */
function children(node: unknown): [string, unknown][] {
  if (node === null || typeof node !== 'object' || Array.isArray(node)) return [];
  return Object.entries(node as Record<string, unknown>)
    .filter(([name]) => name !== TEXT && !name.startsWith(ATTR))
    .flatMap(([name, value]) =>
      (Array.isArray(value) ? value : [value]).map((v): [string, unknown] => [name, v]),
    );
}

/** Whether an element reads as a record: it carries fields, child elements or attributes. */
function recordLike(node: unknown): boolean {
  return node !== null && typeof node === 'object' && Object.keys(node).some((k) => k !== TEXT);
}

/** The path of the first element named `name` that reads as a record, below `node`; null: none. */
function findRecord(node: unknown, name: string, at: readonly string[]): string[] | null {
  for (const [child, value] of children(node)) {
    if (child === name && recordLike(value)) return [...at, child];
    const found = findRecord(value, name, [...at, child]);
    if (found) return found;
  }
  return null;
}

/**
 * Why a record path that reached no record misses records the document holds, names shown
 * through `show` (a piece of a value may read as an element name); null when it holds none.
 */
export function unreachedRecords(
  doc: unknown,
  path: readonly string[],
  show: (name: string) => string,
): string | null {
  const record = path[path.length - 1];
  if (path.length < 2 || record === undefined) return null;
  // The record element's container is there: empty, or holding only text-only elements (a
  // count), it is an empty export, whatever other sections of the file hold; holding elements of
  // another name that carry fields, its records were renamed or wrapped in one more level.
  const containers = nodesAt(doc, path.slice(0, -1));
  const others = new Set<string>();
  for (const node of containers) {
    for (const [name, value] of children(node)) if (recordLike(value)) others.add(name);
  }
  if (containers.length > 0 && others.size === 0) return null;
  // No container, or one holding such elements: elements named as the record, elsewhere.
  const elsewhere = findRecord(doc, record, []);
  if (elsewhere) return `it holds <${show(record)}> elements at ${elsewhere.map(show).join('/')}`;
  if (others.size === 0) return null;
  const names = [...others].map((n) => `<${show(n)}>`).join(', ');
  const container = path[path.length - 2] as string;
  return `its <${show(container)}> holds ${names} elements that carry fields, not <${show(record)}>`;
}
