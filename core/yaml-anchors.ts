/**
 * A value written unquoted that starts with `&` or `*` is YAML syntax, not text: `&Gx9 k2` is the
 * anchor `Gx9` on the value `k2`, and `*Gx9k2` an alias of the anchor `Gx9k2`. Generated
 * passwords start so often enough, and the first loaded as the rest of itself without a word; a
 * mapping constant such as `& Co` too. An anchor no alias uses and an alias of no anchor are
 * refused with what YAML read and how to quote the value; a secret's message quotes no part of it.
 * The config loader (config/yaml-tree.ts) and the catalog, mapping and mapping test files
 * (catalog/yaml-source.ts) say it alike.
 */
import { type Document, visit, type YAMLError } from 'yaml';

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

/**
 * `key: *name`, where the document has no anchor `&name` before it (an alias names an anchor
 * before it only: one after it does not count).
 */
export function unknownAliasMessage(alias: string, secret: boolean): string {
  const what = secret ? 'an alias' : `the alias \`*${alias}\``;
  return `the value starts with \`*\`, which YAML reads as ${what} of an anchor \`&\` the file does not have before it; to keep the \`*\` as text, ${QUOTE}`;
}

/** The parser's "Anchor/Alias cannot be an empty string": `key: & rest`, `key: * rest`. */
export function emptyAnchorMessage(mark: string): string {
  return mark === '*'
    ? `the value starts with \`*\` and a space, which YAML reads as an alias with no name; to keep it as text, ${QUOTE}`
    : `the value starts with \`&\` and a space, which YAML reads as an anchor with no name; to keep it as text, ${QUOTE}`;
}

/**
 * A parse error's message (its first line), the parser's empty anchor or alias said as above. Its
 * other BAD_ALIAS, `&Co:` or `*Co:` (a name ending in `:`, is ambiguous), is at the `:`: said as
 * the parser says it.
 */
export function yamlErrorMessage(error: YAMLError, text: string): string {
  const mark = text.charAt(error.pos[0]);
  if (error.code === 'BAD_ALIAS' && (mark === '&' || mark === '*')) return emptyAnchorMessage(mark);
  return error.message.split('\n')[0] ?? error.message;
}

/**
 * A document's anchors and aliases that are not what the writer meant: an alias of no anchor (or of
 * one after it), a scalar's anchor no alias uses; one with no name is the parser's error already. Each with the offset of its node; none of them
 * is secret (the config loader, which holds secrets, says these as it walks its tree).
 */
export function anchorProblems(doc: Document): { offset: number; message: string }[] {
  const used = usedAnchors(doc);
  const found: { offset: number; message: string }[] = [];
  visit(doc, {
    Alias(_, node) {
      if (node.source !== '' && node.resolve(doc) === undefined)
        found.push({ offset: node.range?.[0] ?? 0, message: unknownAliasMessage(node.source, false) });
    },
    Scalar(_, node) {
      if (node.anchor !== undefined && node.anchor !== '' && !used.has(node.anchor))
        found.push({ offset: node.range?.[0] ?? 0, message: unusedAnchorMessage(node.anchor, false) });
    },
  });
  return found;
}
