/**
 * Default attribute values a DOCTYPE's internal subset declares (XML 1.0 §3.3.2,
 * `<!ATTLIST Record ZT CDATA "1">`, or `#FIXED "1"`). An export tool may leave such an attribute
 * out of the elements that have the default, and every XML processor, validating or not (§5.1),
 * reads them with it; fast-xml-parser skips ATTLIST declarations, and such a record read the
 * attribute as absent, null where the export holds `1`. The declarations are found here, and each
 * default is given to the elements of the parsed document that do not write the attribute.
 *
 * An attribute declared of a type other than CDATA (`NMTOKENS`, `ID`, an enumeration) is
 * normalised further by every XML processor (§3.3.3): `XMDM="01  02"` declared NMTOKENS is `01 02`.
 * Read as CDATA, it kept both spaces, where the export tool's own XML library reads one.
 */
import { doctypeEnd, doctypeStart } from './doctype.js';
import { elementName } from './member-names.js';
import { ATTR, localName, TEXT } from './record-path.js';

/**
 * An attribute's declaration: its default value as written, if it has one, and whether its type is
 * other than CDATA (a tokenized type, `NMTOKENS`, `ID`, …, or an enumeration), which §3.3.3 has
 * normalised further.
 */
interface Declared {
  value?: string;
  tokenized: boolean;
}

/** The declarations of one element's attributes, by attribute name as written. */
type Defaults = Map<string, Map<string, Declared>>;

// The tokens of an ATTLIST's definitions: a quoted literal, an enumeration in parentheses, or a
// word (a name, a type, `#FIXED`). Matched one after another, each once: a pattern matching whole
// definitions backtracked over a long word from each of its characters, quadratic in a hostile
// DOCTYPE (doctype.ts says why that matters).
const TOKEN = /"[^"]*"|'[^']*'|\([^)]*\)|[^\s"'()]+/g;

/**
 * The declared defaults, by element name (its local name where `localNames`). Comments and
 * processing instructions are passed whole, and other declarations with their quoted literals: a
 * `<!ATTLIST` written in one of them declares nothing. Forward scans only (doctype.ts says why).
 */
function declaredDefaults(text: string, localNames: boolean): Defaults {
  const defaults: Defaults = new Map();
  const at = doctypeStart(text);
  if (at < 0) return defaults;
  const end = doctypeEnd(text, at);
  const open = text.indexOf('[', at);
  if (open < 0 || open > end) return defaults;
  let i = open + 1;
  while (i < end) {
    const next = text.indexOf('<', i);
    if (next < 0 || next >= end) break;
    if (text.startsWith('<!--', next)) i = after(text, '-->', next + 4, end);
    else if (text.startsWith('<?', next)) i = after(text, '?>', next + 2, end);
    else {
      const close = declarationEnd(text, next, end);
      if (text.startsWith('<!ATTLIST', next))
        addDefinitions(text.slice(next + 9, close - 1), defaults, localNames);
      i = close;
    }
  }
  return defaults;
}

function after(text: string, close: string, from: number, end: number): number {
  const j = text.indexOf(close, from);
  return j < 0 ? end : j + close.length;
}

/** Just past the `>` ending a declaration, its quoted literals passed whole. */
function declarationEnd(text: string, from: number, end: number): number {
  let i = from + 1;
  while (i < end) {
    const c = text[i];
    if (c === '"' || c === "'") i = after(text, c, i + 1, end);
    else if (c === '>') return i + 1;
    else i++;
  }
  return end;
}

/**
 * An ATTLIST's definitions (§3.3): name, type (`NOTATION` and an enumeration, or either alone), and
 * a default value, quoted, after `#FIXED` or not; `#REQUIRED` and `#IMPLIED` declare none.
 */
function addDefinitions(body: string, defaults: Defaults, localNames: boolean): void {
  const tokens = body.match(TOKEN) ?? [];
  const element = tokens[0];
  if (element === undefined) return;
  const name = localNames ? localName(element) : element;
  const own = defaults.get(name) ?? new Map<string, Declared>();
  let i = 1;
  while (i + 2 < tokens.length) {
    const attribute = tokens[i] as string;
    const tokenized = tokens[i + 1] !== 'CDATA';
    i += tokens[i + 1] === 'NOTATION' ? 3 : 2;
    let value = tokens[i];
    if (value === '#FIXED') value = tokens[++i];
    i++;
    const quoted = value !== undefined && /^["']/.test(value);
    // The first declaration of an attribute is binding (§3.3), also one declaring no default
    // (`#IMPLIED`, `#REQUIRED`) and of type CDATA: kept, it binds nothing, and a later one's
    // default or type is ignored. Left out, the later one's default was given to every element.
    if (own.has(attribute)) continue;
    own.set(attribute, quoted ? { value: (value as string).slice(1, -1), tokenized } : { tokenized });
  }
  if (own.size > 0) defaults.set(name, own);
}

/**
 * Gives each element of the parsed document `doc` the declared default of every attribute it does
 * not write. A text-only or empty element, which the parser hands over as its text, becomes an
 * element with its text and the attributes, as it would have been had it written them. An
 * attribute declared of a type other than CDATA is normalised as §3.3.3 has it (tokenizedValue).
 */
export function withAttributeDefaults(doc: unknown, text: string, localNames: boolean): void {
  if (!text.includes('<!ATTLIST')) return;
  const defaults = declaredDefaults(text, localNames);
  if (defaults.size > 0) give(doc, defaults);
}

/**
 * The elements whose `xml:space` the DOCTYPE declares a default for, by name as written: true for
 * `preserve` (space-scopes.ts opens a preserving scope for them as for one written).
 */
export function declaredSpaces(text: string): Map<string, boolean> {
  const spaces = new Map<string, boolean>();
  if (!text.includes('<!ATTLIST') || !text.includes('xml:space')) return spaces;
  for (const [element, own] of declaredDefaults(text, false)) {
    const value = own.get('xml:space')?.value?.trim();
    if (value === 'preserve' || value === 'default') spaces.set(element, value === 'preserve');
  }
  return spaces;
}

function give(node: unknown, defaults: Defaults): void {
  if (node === null || typeof node !== 'object') return;
  const members = node as Record<string, unknown>;
  for (const key of Object.keys(members)) {
    if (key === TEXT || key.startsWith(ATTR)) continue;
    const own = defaults.get(elementName(key));
    const value = members[key];
    const items = Array.isArray(value) ? value : [value];
    for (const [i, item] of items.entries()) {
      const element = own ? withDefaults(item, own) : item;
      if (element !== item) {
        if (Array.isArray(value)) value[i] = element;
        else members[key] = element;
      }
      give(element, defaults);
    }
  }
}

function withDefaults(item: unknown, own: ReadonlyMap<string, Declared>): unknown {
  const defaults = [...own].filter(([, d]) => d.value !== undefined);
  const tokenized = [...own].filter(([, d]) => d.tokenized);
  if (item === null || typeof item !== 'object') {
    if (defaults.length === 0) return item;
  }
  const element: Record<string, unknown> =
    item !== null && typeof item === 'object'
      ? (item as Record<string, unknown>)
      : item === '' || item === undefined || item === null
        ? {}
        : { [TEXT]: String(item) };
  for (const [attribute, { value }] of defaults) {
    if (!Object.hasOwn(element, `${ATTR}${attribute}`)) element[`${ATTR}${attribute}`] = value;
  }
  for (const [attribute] of tokenized) {
    const value = element[`${ATTR}${attribute}`];
    if (typeof value === 'string') element[`${ATTR}${attribute}`] = tokenizedValue(value);
  }
  return element;
}

// White space the parser leaves in an attribute's value (§3.3.3 makes each a space; CR LF is one
// LF by then, §2.11), and a space written as a character reference, which the normalisation counts.
const SPACE = /[\t\n\r ]|&#(?:0*32|x0*20);/g;

/**
 * The value of an attribute of a declared type other than CDATA as §3.3.3 normalises it: spaces at
 * its ends discarded and each run of them one. A space written as `&#32;` is one of them: the
 * normalisation follows the replacement of references, which record-values.ts does for the rest
 * (`&#10;` is a line feed there, no space, and stays).
 */
function tokenizedValue(raw: string): string {
  return raw.replace(SPACE, ' ').replace(/ {2,}/g, ' ').replace(/^ | $/g, '');
}
