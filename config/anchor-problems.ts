/**
 * A value written unquoted that starts with `&` or `*` is YAML syntax, not text: `&Gx9 k2` is the
 * anchor `Gx9` on the value `k2`, and `*Gx9k2` an alias of the anchor `Gx9k2`. Generated
 * passwords start so often enough, and the first loaded as the rest of itself without a word.
 * An anchor no alias uses and an alias of no anchor are refused with what YAML read and how to
 * quote the value; a secret's message quotes no part of it.
 */
import { type Document, visit } from 'yaml';

const QUOTE = 'quote the whole value ("…" or \'…\')';

/** The anchors the document's aliases name. */
export function usedAnchors(doc: Document): Set<string> {
  const used = new Set<string>();
  visit(doc, {
    Alias(_, node) {
      used.add(node.source);
    },
  });
  return used;
}

/** `key: &name rest`, where no alias names the anchor. */
export function unusedAnchorMessage(anchor: string, secret: boolean): string {
  const what = secret ? 'the anchor' : `the anchor \`&${anchor}\``;
  return `the value starts with \`&\`, which YAML reads as ${what} on the text after it (left out of the value), and no alias \`*\` uses it; to keep the \`&\` as text, ${QUOTE}`;
}

/** `key: *name`, where the document has no anchor `&name`. */
export function unknownAliasMessage(alias: string, secret: boolean): string {
  const what = secret ? 'an alias' : `the alias \`*${alias}\``;
  return `the value starts with \`*\`, which YAML reads as ${what} of an anchor \`&\` the file does not have; to keep the \`*\` as text, ${QUOTE}`;
}

/** The parser's "Anchor/Alias cannot be an empty string": `key: & rest`, `key: * rest`. */
export function emptyAnchorMessage(mark: string): string {
  return mark === '*'
    ? `the value starts with \`*\` and a space, which YAML reads as an alias with no name; to keep it as text, ${QUOTE}`
    : `the value starts with \`&\` and a space, which YAML reads as an anchor with no name; to keep it as text, ${QUOTE}`;
}
