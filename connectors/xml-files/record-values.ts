/**
 * A record's field values as text: character references and predefined entities decoded, the
 * layout around a value trimmed, and what cannot be read told as the row's problems (records.ts
 * parses the file and flattens each record's elements into these raw values).
 */
import type { RowProblem } from '../source.js';
import type { ParseOrigin } from './records.js';
import { withoutSpacesAtEnd, withoutXmlWhiteAtEnds } from './white-ends.js';

/**
 * An element's text inside an `xml:space="preserve"` scope (space-scopes.ts): its white space is
 * data, and `trim` takes only trailing spaces off it, as it does off a database column.
 */
export class PreservedText {
  constructor(readonly text: string) {}
}

/** A field's text before references are decoded: a repeated element's values are an array. */
export type RawValue = string | PreservedText | null | RawValue[];

// A map, not an object: looked up in an object, `&constructor;` or `&toString;` found an inherited
// member, and its source text went out as the value.
const PREDEFINED: ReadonlyMap<string, string> = new Map([
  ['lt', '<'],
  ['gt', '>'],
  ['amp', '&'],
  ['quot', '"'],
  ['apos', "'"],
]);
/**
 * An XML name (XML 1.0 §2.3 Name): entity names may be non-ASCII (`&名称;`) and hold `:`, `.`, `-`.
 * Matched by ASCII names only, such a reference went out as its literal text.
 */
const NAME_START =
  ':A-Z_a-z\\u00C0-\\u00D6\\u00D8-\\u00F6\\u00F8-\\u02FF\\u0370-\\u037D\\u037F-\\u1FFF\\u200C\\u200D\\u2070-\\u218F\\u2C00-\\u2FEF\\u3001-\\uD7FF\\uF900-\\uFDCF\\uFDF0-\\uFFFD\\u{10000}-\\u{EFFFF}';
export const XML_NAME = `[${NAME_START}][${NAME_START}\\-.0-9\\u00B7\\u0300-\\u036F\\u203F\\u2040]*`;
// `&#;` and `&#x;` pass the validator: matched here too, they are no character and refuse the
// value, where unmatched they went out as that text.
const REFERENCE = new RegExp(`&(#x[0-9a-fA-F]*|#[0-9]*|${XML_NAME});`, 'gu');

export const CODE_DECODE = 'LB_SOURCE_DECODE';
export const CODE_ENTITY = 'LB_SOURCE_ENTITY';

/**
 * A character XML 1.0 allows (§2.2 Char: tab, LF, CR, U+0020–U+D7FF, U+E000–U+FFFD,
 * U+10000–U+10FFFF). A reference to any other, `&#1;` or `&#xFFFF;`, is not well-formed XML: no
 * export tool means a control character by it, and the value is refused as for `&#0;`.
 */
function isXmlChar(code: number): boolean {
  if (code < 0x20) return code === 0x9 || code === 0xa || code === 0xd;
  return (code <= 0xd7ff || code >= 0xe000) && code !== 0xfffe && code !== 0xffff && code <= 0x10ffff;
}

type Refusal = { refused: 'entity' } | { refused: 'character'; reference: string };

/**
 * Decodes predefined entities and character references; else what refuses the value: a reference
 * to another entity, or a character reference to no character XML allows (`&#0;`, `&#1;`–`&#8;`,
 * `&#xB;`, `&#xC;`, `&#xE;`–`&#x1F;`, a surrogate, `&#xFFFE;`, `&#xFFFF;`, past U+10FFFF, no
 * digits), the first found.
 */
function decodeReferences(text: string): string | Refusal {
  // Most values hold no reference: the pattern is not run over them.
  if (!text.includes('&')) return text;
  let refused: Refusal | undefined;
  const out = text.replace(REFERENCE, (whole, ref: string) => {
    if (ref.startsWith('#')) {
      const code = ref[1] === 'x' ? Number.parseInt(ref.slice(2), 16) : Number.parseInt(ref.slice(1), 10);
      if (!Number.isNaN(code) && isXmlChar(code)) return String.fromCodePoint(code);
      refused ??= { refused: 'character', reference: whole };
      return whole;
    }
    const known = PREDEFINED.get(ref);
    if (known !== undefined) return known;
    refused ??= { refused: 'entity' };
    return whole;
  });
  return refused ?? out;
}

/**
 * Why a value decodeReferences refused is null, after `where` (the field, record and file): a
 * character reference is named (digits alone, never the value; a long one cut short).
 */
function refusedBecause(r: Refusal): string {
  if (r.refused === 'entity')
    return 'refers to an entity that is not expanded (only &lt; &gt; &amp; &quot; &apos; and character references are)';
  const ref = r.reference.length > 16 ? `${r.reference.slice(0, 12)}…;` : r.reference;
  return `holds a character reference \`${ref}\` to no character XML 1.0 allows (&#0;, controls other than tab, line feed and carriage return, a surrogate, &#xFFFE;, &#xFFFF;, past &#x10FFFF;, or without digits)`;
}

/**
 * ISO-8859 encodings (`ISO-8859-1`, Java tools' default declaration, `latin1`, `ISO_8859-15`, …),
 * by a label's letters and digits: they read bytes 0x80–0x9F as C1 control characters, which no
 * business system stores. Such bytes under such a declaration are windows-1252's (a Windows tool's)
 * curly quotes, `€`, `–`, `…`.
 */
const ISO_8859 = /^(?:iso8859\d*|latin\d+|l\d{1,2}|cp819|ibm819|csisolatin\d+|isoir\d+)$/;
const C1_CONTROL = /[\u0080-\u009F]/;

function readsC1AsControls(encoding: string): boolean {
  return ISO_8859.test(encoding.toLowerCase().replace(/:\d{4}$|[^0-9a-z]/g, ''));
}

/**
 * The row problem of a field whose name holds U+FFFD decoded from invalid bytes: an element or
 * attribute named in another encoding (`<持证人>` in GBK in a UTF-8 export) was read under a name no
 * mapping reads, and the record went out without its value, the license's field empty without a
 * word. Null, with the field's name shown with its characters beyond ASCII as `…` (a value's
 * unescaped `<` may make a piece of it a name), and never the value.
 */
export function undecodedNameProblem(field: string, at: ParseOrigin & { index: number }): RowProblem {
  const shown = field.replace(/[^\x20-\x7e]+/g, '…');
  return {
    column: field,
    code: CODE_DECODE,
    message: `xml-files: decode failed: record ${at.index} in file ${at.file}: the name of an element or attribute it holds (field ${shown}) holds bytes that are invalid in ${at.encoding}, the encoding the file was read with, and the record would go out without that element's value; set the source's \`encoding\` if the export tool wrote another one`,
  };
}

/** A raw value once read: text, or a list of such values. */
type Cleaned = string | null | Cleaned[];

/** Where a refused value was read, as its problem says it. */
function whereOf(field: string, at: ParseOrigin & { index: number }): string {
  return `field ${field} of record ${at.index} in file ${at.file}`;
}

/** A field's value as text, or null with the reason in `problems`. */
export function cleanValue(
  field: string,
  value: RawValue,
  trim: boolean,
  problems: RowProblem[],
  at: ParseOrigin & { index: number },
): string | null {
  // One element's text, as nearly every value is: read without the list's walk.
  if (typeof value === 'string' || value instanceof PreservedText) {
    const out = cleanText(field, value, trim, problems, at);
    return out === '' ? null : out;
  }
  let failed = false;
  const clean = (raw: RawValue): Cleaned => {
    if (failed || raw === null) return null;
    if (Array.isArray(raw)) return raw.map(clean);
    const text = cleanText(field, raw, trim, problems, at);
    if (text === null) failed = true;
    return text;
  };
  const out = clean(value);
  if (failed) return null;
  if (Array.isArray(out)) return JSON.stringify(out);
  return out === null || out === '' ? null : out;
}

/** One text of a field, read; null when it cannot be, with the reason in `problems`. */
function cleanText(
  field: string,
  raw: string | PreservedText,
  trim: boolean,
  problems: RowProblem[],
  at: ParseOrigin & { index: number },
): string | null {
  const preserved = raw instanceof PreservedText;
  const text = preserved ? raw.text : raw;
  // The decoder writes U+FFFD for invalid bytes. Written as such in a valid file, it is a legal
  // character, but one that marks text an earlier conversion lost (a name read in the wrong
  // encoding, `张��`): held back too, so no license carries the lost text, with its true reason.
  if (text.includes('\uFFFD')) {
    const where = whereOf(field, at);
    problems.push({
      column: field,
      code: CODE_DECODE,
      message:
        at.replaced === false
          ? `xml-files: decode failed: ${where} holds U+FFFD, the replacement character, which usually marks text a conversion already lost; the file's bytes are valid ${at.encoding}, so setting \`encoding\` cannot restore it: have the business system correct the value at its source and export it again`
          : `xml-files: decode failed: ${where} holds bytes that are invalid in ${at.encoding}, the encoding the file was read with; set the source's \`encoding\` if the export tool wrote another one`,
    });
    return null;
  }
  // Checked before references are decoded: `&#20013;` is the same character in any encoding.
  if (at.doubt && /[\u0080-\u{10FFFF}]/u.test(text)) {
    problems.push({
      column: field,
      code: CODE_DECODE,
      message: `xml-files: decode failed: ${whereOf(field, at)}: ${at.doubt}`,
    });
    return null;
  }
  // After the doubt, which tells of a file in another encoding altogether. Written literally, not
  // as a reference (`&#x85;` means the control): another encoding's characters, which read as
  // declared would go out as controls.
  if (C1_CONTROL.test(text) && readsC1AsControls(at.encoding)) {
    problems.push({
      column: field,
      code: CODE_DECODE,
      message: `xml-files: decode failed: ${whereOf(field, at)} holds bytes 0x80–0x9F, control characters in ${at.encoding}, the encoding the file declares: the export tool wrote windows-1252 (curly quotes, the euro sign, dashes) under that declaration; have it declare windows-1252, as its bytes are`,
    });
    return null;
  }
  // `trim` takes XML white space (XML 1.0 §2.3 S: space, tab, CR, LF) off both ends: what
  // pretty-printing and CHAR padding put there. JavaScript's trim() also took U+3000 and U+00A0,
  // which are data: the two full-width spaces a Chinese paragraph of business scope opens with, as
  // the SQL sources keep them. Taken off the text as written, before references are decoded: white
  // space written as one (`&#32;01`, `&#10;`) is data an export tool escaped so that no reader takes
  // it for layout. By index, not by a regular expression: white-ends.ts.
  const decoded = decodeReferences(trim && !preserved ? withoutXmlWhiteAtEnds(text) : text);
  if (typeof decoded !== 'string') {
    problems.push({
      column: field,
      code: CODE_ENTITY,
      message: `xml-files: decode failed: ${whereOf(field, at)} ${refusedBecause(decoded)}`,
    });
    return null;
  }
  // Then what a database source's `trim` takes (CHAR padding, spaces at the end): what is left at
  // a value's ends once the layout is off (escaped, or in a preserving scope) loses no more, so a
  // value reads as the business system holds it whichever way it was exported.
  return trim ? withoutSpacesAtEnd(decoded) : decoded;
}
