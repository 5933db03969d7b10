/**
 * Elements whose text is split by a child element: `预包装<b>食品</b>销售`, `第一行<br/>第二行`,
 * markup a web system stored in a value and an export tool wrote unescaped. The parser hands such
 * an element's text over as its pieces joined (`预包装销售`, `第一行第二行`) and the children's
 * text apart, a changed value taken for the element's without a word. Text on one side of its
 * children only (`<XM><dm>02</dm>冷食</XM>`, a code beside the item) is no such piece-work and is
 * read as before; a comment between two pieces (`张<!-- … -->三`) is no child either.
 *
 * The parser keeps no trace of where the pieces were, so they are found in the text: the start tag
 * of each such element gets one more attribute, SPLIT_MARK (named as space-scopes.ts names its
 * mark), which flatten.ts reads and never turns into a field.
 */
import { doctypeEnd, doctypeStart } from './doctype.js';
import { TOKEN } from './space-scopes.js';

/** The attribute marking an element whose text a child element splits, as the parser names it. */
export const SPLIT_MARK = 'lb:text:split';

// Text other than XML white space right before a start tag: without it, no text is split.
const TEXT_BEFORE_TAG = /[^ \t\r\n>]<[^/!?]|[^ \t\r\n>][ \t\r\n]+<[^/!?]/;
const NOT_LAYOUT = /[^ \t\r\n]/;

interface Open {
  /** Where a mark goes: before the start tag's `>`. */
  at: number;
  /** Text other than white space was seen in the element. */
  text: boolean;
  /** A child element started after such text. */
  childAfterText: boolean;
  split: boolean;
}

/** The text with SPLIT_MARK added to the start tag of every element whose text a child splits. */
export function withSplitTextMarked(text: string): string {
  if (!TEXT_BEFORE_TAG.test(text)) return text;
  const re = new RegExp(TOKEN.source, 'g');
  const doctype = doctypeStart(text);
  let last = doctype < 0 ? 0 : doctypeEnd(text, doctype);
  re.lastIndex = last;
  const open: Open[] = [];
  const marks: number[] = [];
  for (let m = re.exec(text); m; m = re.exec(text)) {
    const top = open[open.length - 1];
    if (top && NOT_LAYOUT.test(text.slice(last, m.index))) {
      if (top.childAfterText) top.split = true;
      top.text = true;
    }
    last = m.index + m[0].length;
    if (m[0].startsWith('</')) {
      const closed = open.pop();
      if (closed?.split) marks.push(closed.at);
      continue;
    }
    if (m[1] === undefined) continue; // a comment, instruction or CDATA section
    if (top?.text) top.childAfterText = true;
    if (m[2] !== '/') open.push({ at: last - 1, text: false, childAfterText: false, split: false });
  }
  if (marks.length === 0) return text;
  marks.sort((a, b) => a - b);
  let out = '';
  let from = 0;
  for (const at of marks) {
    out += `${text.slice(from, at)} ${SPLIT_MARK}="1"`;
    from = at;
  }
  return out + text.slice(from);
}
