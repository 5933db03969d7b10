/**
 * `xml:space="preserve"` scopes (XML 1.0 §2.10): an export tool marks an element so when its white
 * space is data (a code ` 01` that a leading space tells from `01`), and the mark holds for what
 * the element holds until an `xml:space="default"` below it. `trim` took such white space off as
 * if it were pretty-printing, and two keys told apart by a leading space read as one.
 *
 * The parser cannot tell `xml:space` from an attribute `space` once it drops prefixes, nor hand an
 * element's scope down to its children, so the scopes are found in the text: each start tag inside
 * a preserving scope gets one more attribute, PRESERVE_MARK, which flatten.ts reads and never
 * turns into a field. Its name holds two colons: no export's attribute is so named (it is no
 * namespace-well-formed name), and the parser keeps it as written whether it drops prefixes or not.
 */
import { doctypeEnd, doctypeStart } from './doctype.js';

/** The attribute marking an element inside a preserving scope, as the parser names it (without its prefix). */
export const PRESERVE_MARK = 'lb:xml:space';

// A comment, processing instruction or CDATA section is passed whole (a tag inside one is text);
// then end tags and start tags, whose quoted attribute values may hold `>` or `/` (an attribute
// without a value is taken here, though the validator refuses its file: missed, its element's end
// tag would close the parent's scope).
export const TOKEN =
  /<!--[\s\S]*?-->|<\?[\s\S]*?\?>|<!\[CDATA\[[\s\S]*?\]\]>|<\/[^>]*>|<[^\s/>!?][^\s/>]*((?:\s+[^\s=/>]+(?:\s*=\s*(?:"[^"]*"|'[^']*'))?)*)\s*(\/?)>/g;
// One attribute of a start tag, its value without quotes: matched one by one, an `xml:space=`
// written inside another attribute's value is no attribute.
const ATTRIBUTE = /([^\s=/>]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'))?/g;

/** A start tag's own `xml:space`, if it has one: true for `preserve`, false for `default`. */
function ownSpace(attributes: string): boolean | undefined {
  for (const a of attributes.matchAll(ATTRIBUTE)) {
    if (a[1] !== 'xml:space') continue;
    const value = (a[2] ?? a[3] ?? '').trim();
    if (value === 'preserve' || value === 'default') return value === 'preserve';
  }
  return undefined;
}

/**
 * The text with PRESERVE_MARK added to every start tag inside a preserving scope (the element's
 * own `xml:space`, else the default its DOCTYPE declares for the element, `declared` by name as
 * written, else its parent's scope). A text that never names `xml:space` is returned as it is.
 */
export function withPreserveScopesMarked(
  text: string,
  declared: ReadonlyMap<string, boolean> = new Map(),
): string {
  if (!text.includes('xml:space')) return text;
  const re = new RegExp(TOKEN.source, 'g');
  const doctype = doctypeStart(text);
  re.lastIndex = doctype < 0 ? 0 : doctypeEnd(text, doctype);
  // The scope of each open element, innermost last; the document's is `default`.
  const open: boolean[] = [];
  let out = '';
  let from = 0;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    const tag = m[0];
    if (tag.startsWith('</')) {
      open.pop();
      continue;
    }
    const attributes = m[1];
    if (attributes === undefined) continue; // a comment, instruction or CDATA section
    const name = /^<([^\s/>]+)/.exec(tag)?.[1] ?? '';
    const preserve = ownSpace(attributes) ?? declared.get(name) ?? open[open.length - 1] ?? false;
    const empty = m[2] === '/';
    if (!empty) open.push(preserve);
    if (!preserve) continue;
    const end = m.index + tag.length - (empty ? 2 : 1);
    out += `${text.slice(from, end)} ${PRESERVE_MARK}="preserve"`;
    from = end;
  }
  return out + text.slice(from);
}
