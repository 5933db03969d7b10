/**
 * The text a face box draws: line breaks and tabs laid out as spaces, the characters no reader
 * can draw removed. Applied to a box's text before it is wrapped (layout.ts).
 */
import { NOT_XML_CHAR } from '../../../core/xml-chars.js';

/**
 * Characters XML 1.0 (§2.2 Char) allows nowhere — C0 controls but tab, LF and CR, U+FFFE, U+FFFF,
 * and surrogate halves without their partner — so an OFD page holding one is not well-formed and
 * strict readers refuse the whole file. The input checks of mappings stop controls and broken
 * surrogates, not U+FFFE/U+FFFF; none of them is a glyph. Removed before wrapping, so the text
 * drawn and its advances (DeltaX) agree; in one pattern, not a pass each, as a control removed
 * from between two halves would pair them.
 */
/**
 * The other characters no reader draws and no layout should count: DEL (U+007F) and the C1
 * controls (U+0080–U+009F, text converted from a legacy code page as Latin-1), which XML allows
 * but which are no glyphs, dropped as C0 controls are (U+0085 NEXT LINE, a break, is a space by
 * then: `BREAKS`); and the soft hyphen U+00AD, a hyphenation point invisible unless a line breaks
 * there — the face breaks no word at one, so it is never drawn. Each was laid out as a glyph half an em wide, which readers
 * drew as a box or a hyphen inside a word and which made a fitting value shrink or be cut.
 */
const NOT_DRAWABLE = new RegExp(`${NOT_XML_CHAR.source}|[\u007F-\u009F\u00AD]`, 'g');

/**
 * Line breaks (CR LF, CR, LF) and tabs: text a mapping lets through (an address typed on two lines
 * in the source system), but no glyph. Each is laid out as one space. Drawn as they were, a CR LF
 * pair took two advances in DeltaX while an XML reader reads it as one LF (XML 1.0 §2.11), so
 * every glyph after it was drawn off its place, and readers drew breaks the layout did not make.
 * So are Unicode's other mandatory breaks (UAX #14 BK and NL): U+2028 and U+2029 (text from JSON,
 * Word, a web form) were laid out as a full-em glyph readers draw as a blank box, and U+0085 (text
 * converted from a legacy code page) as a half-em one; vertical tab and form feed, which XML
 * forbids, were dropped with the words on each side run together. Replaced before the characters
 * XML forbids are removed, so VT and FF become a space rather than nothing.
 */
// biome-ignore lint/suspicious/noControlCharactersInRegex: vertical tab and form feed are breaks.
const BREAKS = /\r\n|[\r\n\t\u000B\u000C\u0085\u2028\u2029]/g;

/**
 * Any character either pattern above could match: C0 controls, DEL and C1 controls (breaks and
 * tabs among them, U+0085 too), the soft hyphen, U+2028, U+2029, surrogate halves, U+FFFE, U+FFFF.
 * Face text has none as a rule, and one scan for them is cheaper than the two passes that would
 * change nothing.
 */
// biome-ignore lint/suspicious/noControlCharactersInRegex: finds the characters the two passes act on.
const MAY_CHANGE = /[\u0000-\u001F\u007F-\u009F\u00AD\u2028\u2029\uD800-\uDFFF\uFFFE\uFFFF]/;

/** The text a box draws: a break or a tab one space, what no reader can draw removed. */
export function drawable(text: string): string {
  if (!MAY_CHANGE.test(text)) return text;
  // Breaks first: each becomes a space, never a character whose removal could pair two halves.
  return text.replace(BREAKS, ' ').replace(NOT_DRAWABLE, '');
}
