/**
 * Child elements of one local name in two namespaces (`<MC>` and `<ext:MC>`: a core field and an
 * extension's of the same name). A record path written without prefixes reads elements by their
 * local names (records.ts), so the parser took the two for one repeated element and their texts
 * ran into one JSON list, which a license carried as the value without a word. They are two
 * fields, as two attributes of one local name are (flatten.ts tells those as a clash).
 *
 * The parser keeps no namespaces once prefixes are taken off, so they are resolved in the text
 * (Namespaces in XML 1.0 §6): the start tag of each element holding such children gets one more
 * attribute, NAMESPACE_MARK (named as space-scopes.ts names its mark), listing each clashing local
 * name with the first two names written for it, which flatten.ts reads and never turns into a
 * field. One namespace under two prefixes (`<XM>` and `<lic:XM>` where both name it) is one
 * element, repeated as before.
 */
import { doctypeEnd, doctypeStart } from './doctype.js';
import { TOKEN } from './space-scopes.js';

/** The attribute marking an element whose children clash so, as the parser names it. */
export const NAMESPACE_MARK = 'lb:ns:clash';

const XML_NAMESPACE = 'http://www.w3.org/XML/1998/namespace';
const ATTRIBUTE = /([^\s=/>]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'))?/g;

interface Open {
  /** Where a mark goes: before the start tag's `>`. */
  at: number;
  /** Prefix → namespace name in scope inside the element ('' for the default namespace). */
  scope: ReadonlyMap<string, string>;
  /** The element's children: local name → namespace name → the name as first written. */
  children: Map<string, Map<string, string>>;
}

/** The namespace declarations of a start tag laid over the scope around it. */
function scopeOf(attributes: string, around: ReadonlyMap<string, string>): ReadonlyMap<string, string> {
  let scope: Map<string, string> | null = null;
  for (const a of attributes.matchAll(ATTRIBUTE)) {
    const name = a[1] ?? '';
    if (name !== 'xmlns' && !name.startsWith('xmlns:')) continue;
    scope ??= new Map(around);
    scope.set(name === 'xmlns' ? '' : name.slice(6), a[2] ?? a[3] ?? '');
  }
  return scope ?? around;
}

/** An element name's namespace; an undeclared prefix stands for itself (the parser keeps no other trace). */
function namespaceOf(name: string, scope: ReadonlyMap<string, string>): string {
  const colon = name.indexOf(':');
  if (colon < 0) return scope.get('') ?? '';
  const prefix = name.slice(0, colon);
  if (prefix === 'xml') return XML_NAMESPACE;
  return scope.get(prefix) ?? `${prefix}:`;
}

/** The mark's value: `local=first,second` for each clashing local name, space-separated (XML names hold neither `=`, `,` nor spaces). */
function markOf(children: ReadonlyMap<string, ReadonlyMap<string, string>>): string | null {
  const clashes: string[] = [];
  for (const [local, names] of children) {
    if (names.size < 2) continue;
    const [first, second] = names.values();
    clashes.push(`${local}=${first},${second}`);
  }
  return clashes.length === 0 ? null : clashes.join(' ');
}

/**
 * The text with NAMESPACE_MARK added to the start tag of every element holding children of one
 * local name in two namespaces. A text that declares no namespace is returned as it is.
 */
export function withNamespaceClashesMarked(text: string): string {
  if (!text.includes('xmlns')) return text;
  const re = new RegExp(TOKEN.source, 'g');
  const doctype = doctypeStart(text);
  re.lastIndex = doctype < 0 ? 0 : doctypeEnd(text, doctype);
  const open: Open[] = [];
  const marks: [number, string][] = [];
  for (let m = re.exec(text); m; m = re.exec(text)) {
    if (m[0].startsWith('</')) {
      const closed = open.pop();
      const mark = closed && markOf(closed.children);
      if (closed && mark) marks.push([closed.at, mark]);
      continue;
    }
    const attributes = m[1];
    if (attributes === undefined) continue; // a comment, instruction or CDATA section
    const name = /^<([^\s/>]+)/.exec(m[0])?.[1] ?? '';
    const parent = open[open.length - 1];
    const scope = scopeOf(attributes, parent?.scope ?? new Map());
    if (parent) {
      // As record-path.ts's localName takes a prefix off (a name of two colons keeps both).
      const parts = name.split(':');
      const local = parts.length === 2 ? (parts[1] as string) : name;
      const names = parent.children.get(local) ?? new Map<string, string>();
      const namespace = namespaceOf(name, scope);
      if (!names.has(namespace)) names.set(namespace, name);
      parent.children.set(local, names);
    }
    if (m[2] !== '/') open.push({ at: m.index + m[0].length - 1, scope, children: new Map() });
  }
  if (marks.length === 0) return text;
  marks.sort((a, b) => a[0] - b[0]);
  let out = '';
  let from = 0;
  for (const [at, mark] of marks) {
    out += `${text.slice(from, at)} ${NAMESPACE_MARK}="${mark}"`;
    from = at;
  }
  return out + text.slice(from);
}

/** A mark's value read back: local name → the two names written for it. */
export function clashingNames(mark: string): Map<string, [string, string]> {
  const out = new Map<string, [string, string]>();
  for (const entry of mark.split(' ')) {
    const eq = entry.indexOf('=');
    const [first = '', second = ''] = entry.slice(eq + 1).split(',');
    out.set(entry.slice(0, eq), [first, second]);
  }
  return out;
}
