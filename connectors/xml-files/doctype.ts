/**
 * Where a DOCTYPE declaration ends, read as XML 1.0 §2.8 writes it: its quoted literals (public
 * and system ids, entity values) and, in its internal subset, comments and processing
 * instructions may hold any of `<`, `>`, `]` and `<![CDATA[`, which end or open nothing. Counting
 * brackets instead, as fast-xml-parser's validator does, an entity value `"text in <![CDATA["`
 * ran the DOCTYPE on to the end of the file (reported as a truncated file), and a CDATA scan took
 * it for a section that swallowed the records up to the next `]]>`.
 */

/** The index just past the DOCTYPE starting at `at` (`<!DOCTYPE`), or the text's length when it never ends. */
export function doctypeEnd(text: string, at: number): number {
  let i = at + '<!DOCTYPE'.length;
  let subset = false;
  while (i < text.length) {
    const c = text[i];
    if (c === '"' || c === "'") i = past(text, c, i + 1);
    else if (subset && text.startsWith('<!--', i)) i = past(text, '-->', i + 4);
    else if (subset && text.startsWith('<?', i)) i = past(text, '?>', i + 2);
    else if (c === '[' && !subset) {
      subset = true;
      i++;
    } else if (c === ']' && subset) {
      subset = false;
      i++;
    } else if (c === '>' && !subset) return i + 1;
    else i++;
  }
  return text.length;
}

/** The index just past the next `end` from `from`, or the text's length. */
function past(text: string, end: string, from: number): number {
  const j = text.indexOf(end, from);
  return j < 0 ? text.length : j + end.length;
}

// Comments, processing instructions and CDATA sections are matched whole, so a `<!DOCTYPE` in
// one of them is no DOCTYPE.
const MARKUP = /<!--[\s\S]*?-->|<\?[\s\S]*?\?>|<!\[CDATA\[[\s\S]*?\]\]>|<!DOCTYPE/g;

/**
 * The text with every character inside the DOCTYPE's literals, comments and processing
 * instructions a space (line breaks kept, so a line and column found in the result are the
 * text's): the validator then finds the DOCTYPE's end where it is. The parser reads the DOCTYPE
 * as written, and refuses what it refuses (an external entity) as before.
 */
export function withDoctypeLiteralsBlanked(text: string): string {
  if (!text.includes('<!DOCTYPE')) return text;
  const re = new RegExp(MARKUP.source, 'g');
  for (let m = re.exec(text); m; m = re.exec(text)) {
    if (m[0] !== '<!DOCTYPE') continue;
    const end = doctypeEnd(text, m.index);
    return text.slice(0, m.index) + blankLiterals(text.slice(m.index, end)) + text.slice(end);
  }
  return text;
}

const LITERAL = /"[^"]*"|'[^']*'|<!--[\s\S]*?-->|<\?[\s\S]*?\?>/g;

/** A DOCTYPE's literals, comments and processing instructions with their content blanked. */
function blankLiterals(doctype: string): string {
  return doctype.replace(LITERAL, (whole) => {
    const open = whole.startsWith('<!--') ? 4 : whole.startsWith('<?') ? 2 : 1;
    const close = open === 4 ? 3 : open;
    const inner = whole.slice(open, whole.length - close).replace(/[^\n\r]/g, ' ');
    return whole.slice(0, open) + inner + whole.slice(whole.length - close);
  });
}
