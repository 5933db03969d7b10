/**
 * Where a DOCTYPE declaration ends, read as XML 1.0 §2.8 writes it: its quoted literals (public
 * and system ids, entity values) and, in its internal subset, comments and processing
 * instructions may hold any of `<`, `>`, `]` and `<![CDATA[`, which end or open nothing. Counting
 * brackets instead, as fast-xml-parser's validator does, an entity value `"text in <![CDATA["`
 * ran the DOCTYPE on to the end of the file (reported as a truncated file), and a CDATA scan took
 * it for a section that swallowed the records up to the next `]]>`.
 *
 * Every scan here moves forward only (indexOf from where it stands): a lazy regex such as
 * `<!--[\s\S]*?-->` searches to the end of the text again from each unterminated `<!--`, and a
 * file of 40,000 of them (160 KB) took 10 s to blank, a 64 MiB one hours.
 */

/** A DOCTYPE's extent, and the content of its literals, comments and processing instructions. */
interface DoctypeScan {
  /** The index just past the DOCTYPE, or the text's length when it never ends. */
  end: number;
  /** [from, to) of each terminated literal's, comment's and processing instruction's content. */
  inner: [number, number][];
  /** [from, to) of each terminated processing instruction of the internal subset, `<?` to `?>`. */
  instructions: [number, number][];
}

function scanDoctype(text: string, at: number): DoctypeScan {
  const inner: [number, number][] = [];
  const instructions: [number, number][] = [];
  let i = at + '<!DOCTYPE'.length;
  let subset = false;
  // Past `close` from `open` characters on, noting the content; the text's length when unterminated.
  const skip = (open: number, close: string): number => {
    const j = text.indexOf(close, i + open);
    if (j < 0) return text.length;
    inner.push([i + open, j]);
    return j + close.length;
  };
  while (i < text.length) {
    const c = text[i];
    if (c === '"' || c === "'") i = skip(1, c);
    else if (subset && text.startsWith('<!--', i)) i = skip(4, '-->');
    else if (subset && text.startsWith('<?', i)) {
      const [from, terminated] = [i, inner.length + 1];
      i = skip(2, '?>');
      if (inner.length === terminated) instructions.push([from, i]);
    } else if (c === '[' && !subset) {
      subset = true;
      i++;
    } else if (c === ']' && subset) {
      subset = false;
      i++;
    } else if (c === '>' && !subset) return { end: i + 1, inner, instructions };
    else i++;
  }
  return { end: text.length, inner, instructions };
}

/** The index just past the DOCTYPE starting at `at` (`<!DOCTYPE`), or the text's length when it never ends. */
export function doctypeEnd(text: string, at: number): number {
  return scanDoctype(text, at).end;
}

/**
 * Where the document's DOCTYPE starts, or -1. Only the prolog can hold one, between the XML
 * declaration, comments and processing instructions (passed whole: a `<!DOCTYPE` in one of them is
 * none): past the first element, `<!DOCTYPE` is text, in an attribute's value that a lenient tool
 * wrote with a raw `<`, and taken for a DOCTYPE it ran on to a `>` past CDATA sections.
 */
export function doctypeStart(text: string): number {
  for (let i = text.indexOf('<'); i >= 0; i = text.indexOf('<', i)) {
    if (text.startsWith('<!DOCTYPE', i)) return i;
    const close = text.startsWith('<!--', i) ? '-->' : text.startsWith('<?', i) ? '?>' : null;
    // An element, or whatever else: the prolog is over.
    if (close === null) return -1;
    const j = text.indexOf(close, i + (close === '-->' ? 4 : 2));
    // Unterminated: the rest is the comment's; the validator tells of it.
    if (j < 0) return -1;
    i = j + close.length;
  }
  return -1;
}

/**
 * The text with every character inside the DOCTYPE's literals, comments and processing
 * instructions a space (line breaks kept, so a line and column found in the result are the
 * text's): the validator then finds the DOCTYPE's end where it is. The parser reads the DOCTYPE
 * as written, and refuses what it refuses (an external entity) as before.
 */
export function withDoctypeLiteralsBlanked(text: string): string {
  return blanked(text, (scan) => scan.inner);
}

/**
 * The text with each processing instruction of the DOCTYPE's internal subset blanked whole, `<?`
 * and `?>` too (line breaks kept). XML 1.0 §2.8 allows one among the declarations (an export tool
 * stamps its name and version there), and it carries nothing a record holds; fast-xml-parser's
 * DOCTYPE reader knows only declarations and comments there and refused the file ("Invalid
 * DOCTYPE"). Blanked, it is the white space the subset allows between declarations. Found by the
 * same forward scan, so a PI's `>`, `]` or quotes end or open nothing.
 */
export function withDoctypeInstructionsBlanked(text: string): string {
  return blanked(text, (scan) => scan.instructions);
}

function blanked(text: string, ranges: (scan: DoctypeScan) => [number, number][]): string {
  if (!text.includes('<!DOCTYPE')) return text;
  const at = doctypeStart(text);
  if (at < 0) return text;
  const parts: string[] = [];
  let from = 0;
  for (const [start, end] of ranges(scanDoctype(text, at))) {
    parts.push(text.slice(from, start), text.slice(start, end).replace(/[^\n\r]/g, ' '));
    from = end;
  }
  parts.push(text.slice(from));
  return parts.join('');
}
