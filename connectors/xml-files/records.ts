/**
 * Parses one export file's text into flat records. Entity expansion is off: a DOCTYPE's entities
 * are never expanded (no "billion laughs") and external entities are never fetched (no XXE); the
 * five predefined entities and numeric character references are decoded here instead.
 */
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import type { RowProblem } from '../source.js';
import { declaredSpaces, withAttributeDefaults } from './attribute-defaults.js';
import {
  doctypeEnd,
  doctypeStart,
  withDoctypeInstructionsBlanked,
  withDoctypeLiteralsBlanked,
} from './doctype.js';
import { clashProblem, flattenRecord } from './flatten.js';
import { elementName, fieldRecord, parsedName } from './member-names.js';
import { withNamespaceClashesMarked } from './namespace-clashes.js';
import {
  ATTR,
  besideRecords,
  localName,
  nodesAt,
  pathInTwoNamespaces,
  type StrayRecords,
  strayRecords,
  TEXT,
} from './record-path.js';
import { CODE_DECODE, cleanValue, type RawValue, undecodedNameProblem, XML_NAME } from './record-values.js';
import { withPreserveScopesMarked } from './space-scopes.js';
import { withSplitTextMarked } from './split-text.js';
import { withoutXmlWhiteAtEnd, withXmlWhiteAtEndsEscaped } from './white-ends.js';

export interface XmlRecord {
  /** Position of the record in the file, from 0, in document order. */
  index: number;
  /** Field name → text; an absent or empty element is null. */
  values: Record<string, string | null>;
  problems: RowProblem[];
  /** Fields read from an element the record holds more than once (a JSON list of their texts). */
  repeated?: string[];
  /** Elements the record holds more than once, by field name (`XM`, `JYXM`): for discovery's `lists`. */
  lists?: string[];
}

export interface ParsedFile {
  records: XmlRecord[];
  /** Field names in the order first seen. */
  fields: string[];
  /** In a file without records, elements that may be its records, moved (record-path.ts). */
  strays?: StrayRecords[];
  /** In a file with records, elements of another name beside them in their container (record-path.ts). */
  beside?: StrayRecords[];
  /** The record element's name, as a message shows it. */
  recordName?: string;
}

export type ParseOutcome = { ok: true; file: ParsedFile } | { ok: false; reason: string };

/**
 * A record path written without prefixes names elements by their local name: export tools choose
 * prefixes freely (JAXB's `ns2:`, a new release's `lic:`), and a path that matched no element would
 * read the file as empty and record it as read. A path written with prefixes is matched as written.
 */
export function matchesLocalNames(recordPath: readonly string[]): boolean {
  return recordPath.every((segment) => !segment.includes(':'));
}

// A comment or processing instruction is matched whole first: `<![CDATA[` inside one opens no
// section, and taken for one it ran to the next `]]>` of the file and turned the records between
// into text, lost without a word. The scan starts past the prolog's DOCTYPE (doctype.ts): an
// entity value may hold `<![CDATA[` too.
const CDATA = /<!--[\s\S]*?-->|<\?[\s\S]*?\?>|<!\[CDATA\[([\s\S]*?)\]\]>/g;

/**
 * Each CDATA section rewritten as escaped text. A section's content is text as written (`&amp;`
 * in it is five characters, `&nbsp;` no entity), but the parser hands it over merged with the
 * text around it, and every value then goes through decodeReferences: escaped, the content comes
 * back from that exactly as written, while the text outside it is decoded as before.
 * The white space at the section's ends is escaped as character references: it is data (` 01` is
 * no `01`), and `trim` takes the layout around a value off before references are decoded
 * (record-values.ts), so it takes off the section's only what it takes from a database column.
 * Line ends are read first as XML 1.0 §2.11 reads them, CR LF and a lone CR as LF: the parser does
 * so for the rest of the text, but a CR escaped here is `&#13;`, a CR kept, and a section ending in
 * a Windows tool's CR LF read so, where the same text escaped read LF.
 */
function cdataAsText(text: string): string {
  if (!text.includes('<![CDATA[')) return text;
  const re = new RegExp(CDATA.source, 'g');
  const doctype = doctypeStart(text);
  re.lastIndex = doctype < 0 ? 0 : doctypeEnd(text, doctype);
  let out = '';
  let from = 0;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    const body = m[1];
    if (body === undefined) continue;
    out +=
      text.slice(from, m.index) +
      withXmlWhiteAtEndsEscaped(
        body.replace(/\r\n?/g, '\n').replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;'),
      );
    from = re.lastIndex;
  }
  return out + text.slice(from);
}

function parser(recordPath: readonly string[], lists: readonly string[]): XMLParser {
  const recordJPath = recordPath.map(parsedName).join('.');
  // A list field (`lists`) is an array however many times a record holds it: read by count, one
  // item was its text and two a JSON list, and a mapping expecting a list got a scalar.
  // A nested entry's segments are keyed each on its own (`DZ.constructor` as `DZ.#member:constructor`);
  // the entry whole is kept too, for an element whose own name holds the dot (`<DZ.constructor>`).
  const jpaths = (l: string) => [parsedName(l), l.split('.').map(parsedName).join('.')];
  const arrays = new Set([recordJPath, ...lists.flatMap(jpaths).map((p) => `${recordJPath}.${p}`)]);
  // The names an element of such a path may have (a name may hold dots): only for those is the
  // path written out, not for every element and attribute of the file.
  const last = new Set([...arrays].flatMap((p) => p.split('.').map((_, i, all) => all.slice(i).join('.'))));
  const local = matchesLocalNames(recordPath);
  return new XMLParser({
    // Prefixes are taken off element names below (transformTagName), and off attribute names by
    // flatten.ts: the parser's `removeNSPrefix` took them off attributes too, and of two attributes
    // of one local name (`a:DM`, `b:DM`) kept the last without a word.
    removeNSPrefix: false,
    // Security: no entity processing at all; see decodeReferences for the safe subset.
    processEntities: false,
    htmlEntities: false,
    ignoreAttributes: false,
    attributeNamePrefix: ATTR,
    textNodeName: TEXT,
    // Values stay text: `0012` is a license number, not the number 12.
    parseTagValue: false,
    parseAttributeValue: false,
    trimValues: false,
    ignoreDeclaration: true,
    ignorePiTags: true,
    // The parser hands callbacks its path matcher instead of writing the path out as text for each
    // element, for every callback (its `jPath` option): a string per element was some 5 % of a read.
    jPath: false,
    isArray: (name, jpath, _leaf, isAttribute) =>
      !isAttribute && last.has(name) && arrays.has(jpath.toString()),
    // `<toString>`, `<constructor>`: read under their own names, neither renamed nor refused.
    transformTagName: (name) => parsedName(local ? localName(name) : name),
  });
}

/**
 * Line and column (from 1) just past the last character: where a truncated file ends. `text`'s
 * line ends are LF already (lineEndsRead). Only XML white space (§2.3 S) after it is left out: a
 * file cut short after a value's U+3000 or U+00A0 (data, as record-values.ts reads them) ends past
 * them, where `/\s+$/` put its end a few columns early (and took time quadratic in a run of white
 * space anywhere in the file).
 */
function endOf(text: string): { line: number; col: number } {
  const body = withoutXmlWhiteAtEnd(text);
  const lines = body.split('\n');
  return { line: lines.length, col: (lines[lines.length - 1]?.length ?? 0) + 1 };
}

/**
 * A name taken from the document, as an error may show it. In a file that is not well-formed
 * because a value holds an unescaped `<`, the validator quotes a piece of that value as a tag or
 * attribute name (`王<欧阳秀英>`, `<370211…/>`), and the error reaches logs, the ledger and Redis:
 * only a name that reads as an export's own element name (ASCII, as legacy schemas name them,
 * and no number in it) is shown; a single punctuation character (`char '&'`) is kept too.
 */
function shownName(name: string): string {
  if (/^[A-Za-z_][A-Za-z0-9_.:-]{0,63}$/.test(name) && !/[0-9]{4}/.test(name)) return name;
  return /^[!-/:-@[-`{-~]$/.test(name) ? name : '…';
}

/**
 * A quoted name in a validator message: it ends at the apostrophe the message's own words follow
 * (`' is`, `' has`, `' (opened`, `'.` at the end, …), not at the first one. A piece of a value
 * taken for a name may hold an apostrophe itself (`<a'370211…>`): ended there, the rest of it went
 * into the error unchecked. The words follow an ASCII space, the only space that ends a tag name:
 * an ideographic or no-break space is part of one (`<a'　is　370211…>`).
 */
const QUOTED_NAME = /'([\s\S]*?)'(?= (?:is|has|have|doesn't|can't|found)\b| \(opened|\.?$)/g;

/** A validator or parser message with every quoted name it took from the document made safe. */
function safeMessage(msg: string): string {
  return msg.replace(QUOTED_NAME, (_whole, name: string) => `'${shownName(name)}'`);
}

/**
 * A parser message, made safe the same way. The parser quotes pieces of a DOCTYPE in double
 * quotes (`Invalid element name: "370211…"`, `found "王"`) or not at all (`Invalid entity name
 * 370211…`), and once a 100-character stretch of the document (`Context: "…"`): every quoted
 * piece goes through shownName, and unquoted text outside ASCII or long runs of digits (an ID or
 * mobile number) are left out. Counts and sizes in its limits messages are shorter.
 */
function safeParserMessage(msg: string): string {
  return safeMessage(msg)
    .replace(/"([^"]*)"/g, (_whole, name: string) => `"${shownName(name)}"`)
    .replace(/[0-9]{6,}|[\u0080-\u{10FFFF}]+/gu, '…');
}

// An entity reference by an XML name the validator does not take for one: it takes up to 20 ASCII
// word characters, and refused `&名称;`, `&lic:note;` or `&a.b;` in element text as not
// well-formed. Such a reference is well-formed (XML 1.0 §4.1), and its field is refused on its own
// (record-values.ts), as one by an ASCII name is.
const ODD_REFERENCE = new RegExp(`&(?!\\w{1,20};)${XML_NAME};`, 'gu');

/** The text with each such reference shown to the validator as `&x;`, padded to keep columns. */
function withReferenceNamesShortened(text: string): string {
  if (!text.includes('&')) return text;
  return text.replace(ODD_REFERENCE, (ref) => `&x;${' '.repeat(ref.length - 3)}`);
}

/**
 * The text with every CR LF and every CR alone read as one LF, as XML 1.0 §2.11 reads them: the
 * validator counts LF and CR LF as line ends, not a CR alone, and in a file whose lines end so
 * (classic Mac tools) every position was told as line 1, at a column past the lines before.
 */
function lineEndsRead(text: string): string {
  return text.includes('\r') ? text.replace(/\r\n?/g, '\n') : text;
}

/**
 * Where and why a file is not well-formed. A file cut short mid-export is the common case: the
 * validator then blames line 1, column 1 with the list of elements left open, which helps nobody;
 * it is reported at the file's end instead, naming those elements.
 */
function locate(file: string): string | null {
  const text = lineEndsRead(file);
  // The validator ends a DOCTYPE where its brackets balance, counting those in its literals and
  // comments too: it is shown the DOCTYPE with those blanked (doctype.ts).
  // An attribute without a value (`<ZT revoked>`, a flag as HTML writes it) is not well-formed
  // (XML 1.0 §3.1), and the parser drops it: taken, the record went out as if the flag were not there.
  const result = XMLValidator.validate(withReferenceNamesShortened(withDoctypeLiteralsBlanked(text)), {
    allowBooleanAttributes: false,
  });
  if (result === true) return null;
  const { line, col, msg, code } = result.err;
  // The validator gives no column when it finds no element at all: an export tool creates its
  // file before writing it, so an empty file (or one holding only its declaration) is common.
  if (msg.trim() === 'Start tag expected.' || col === undefined) {
    const end = endOf(text);
    const what = text.trim() === '' ? 'the file is empty' : 'the file holds no element';
    return `line ${end.line}, column ${end.col}: ${what} — it looks truncated (an export still being written, or cut short)`;
  }
  const open = /^Invalid '\[(.*)\]' found\.$/s.exec(msg.trim());
  if (code === 'InvalidXml' && open) {
    const names = (open[1] ?? '')
      .split(',')
      .map((n) => n.trim().replace(/^"|"$/g, ''))
      .filter(Boolean);
    const end = endOf(text);
    return `line ${end.line}, column ${end.col}: the file ends before ${names.length === 1 ? 'element' : 'elements'} ${names.map((n) => `<${shownName(n)}>`).join(', ')} ${names.length === 1 ? 'is' : 'are'} closed — it looks truncated (an export still being written, or cut short)`;
  }
  const end = endOf(text);
  const atEnd = line === end.line && col >= end.col - 1;
  return `line ${line}, column ${col}: ${safeMessage(msg)}${atEnd ? ' — at the end of the file: it looks truncated (an export still being written, or cut short)' : ''}`;
}

const PARAMETER_ENTITY =
  "refused: its DOCTYPE declares a parameter entity (`<!ENTITY % …>`), and licbridge expands and fetches no entity; have the export tool leave the DOCTYPE's entity declarations out";

/** Where a file's text came from, for row problems that name the file and encoding. */
export interface ParseOrigin {
  file: string;
  encoding: string;
  /** Why the file's non-ASCII text cannot be trusted (decode.ts), if it cannot. */
  doubt?: string | null;
  /**
   * Whether decoding replaced invalid bytes with U+FFFD (decode.ts); unless false, a U+FFFD in a
   * value is told as such bytes.
   */
  replaced?: boolean;
}

/**
 * Parses `text` and returns the records at `recordPath`. A file that is not well-formed XML, or
 * whose DOCTYPE declares an external or a parameter entity, is refused as a whole with the reason.
 */
export function parseRecords(
  text: string,
  recordPath: readonly string[],
  trims: (field: string) => boolean,
  origin: ParseOrigin = { file: '(text)', encoding: 'utf-8' },
  lists: readonly string[] = [],
): ParseOutcome {
  const invalid = locate(text);
  if (invalid) return { ok: false, reason: `not well-formed XML at ${invalid}` };
  let doc: unknown;
  try {
    // Scopes are marked once CDATA sections are text: a tag written in one is no element.
    const marked = withSplitTextMarked(cdataAsText(withDoctypeInstructionsBlanked(text)));
    doc = parser(recordPath, lists).parse(
      withPreserveScopesMarked(
        matchesLocalNames(recordPath) ? withNamespaceClashesMarked(marked) : marked,
        declaredSpaces(text),
      ),
    );
  } catch (e) {
    // fast-xml-parser refuses a DOCTYPE with external entities; nothing is fetched.
    const message = e instanceof Error ? e.message : String(e);
    // And one with a parameter entity (`<!ENTITY % …>`), whose `%` it calls an invalid name.
    if (message.startsWith('Invalid entity name %')) return { ok: false, reason: PARAMETER_ENTITY };
    return { ok: false, reason: `refused: ${safeParserMessage(message)}` };
  }
  // Attributes by their local names too, where the record path names elements so (flatten.ts).
  const local = matchesLocalNames(recordPath);
  withAttributeDefaults(doc, text, local);
  // A document whose root element is not the path's first segment is another document (or the
  // path is wrong): read as "no records", its records would be lost without a word.
  const roots = Object.keys(doc !== null && typeof doc === 'object' ? doc : {})
    .filter((k) => k !== TEXT)
    .map(elementName);
  const rootName = recordPath[0] ?? '';
  if (!roots.includes(rootName)) {
    const found =
      roots.length === 0 ? 'no root element' : `root element <${roots.map(shownName).join('>, <')}>`;
    return {
      ok: false,
      reason: `the file has ${found}, not <${rootName}> (the first element of \`recordPath\` ${recordPath.join('/')}); check \`recordPath\`, or narrow \`pattern\` to the export files`,
    };
  }
  // Records of two namespaces under one local name (`<Record>`, `<del:Record>`): which are the
  // records cannot be told, and read as one stream the others went out as licenses.
  const twoNamespaces = local ? pathInTwoNamespaces(doc, recordPath) : null;
  if (twoNamespaces) {
    const [first, second] = twoNamespaces.names.map(shownName);
    return {
      ok: false,
      reason: `its <${shownName(twoNamespaces.container)}> holds both <${first}> and <${second}> elements, of two namespaces that \`recordPath\` ${recordPath.join('/')}, written without prefixes, reads by one local name: read as one, the elements of both would be taken for records; have the export tool write the records in one namespace and anything else under another name`,
    };
  }
  const fields: string[] = [];
  const seen = new Set<string>();
  const records = nodesAt(doc, recordPath).map((node, index): XmlRecord => {
    const { values: raw, clashes, repeated: lists, mixed, ownText } = flattenRecord(node, local);
    const values = fieldRecord<string | null>();
    const problems: RowProblem[] = [];
    // One for the record's fields: built for each field, it was a good part of a read's garbage.
    const at = { ...origin, index };
    if (ownText) problems.push(ownTextProblem(recordPath, origin.file, index));
    const repeated: string[] = [];
    for (const field in raw) {
      const value = raw[field] as RawValue;
      if (Array.isArray(value)) repeated.push(field);
      if (!seen.has(field)) {
        seen.add(field);
        fields.push(field);
      }
      // A field read from two elements (`<DZ.SHENG>` and `<DZ><SHENG>`) holds neither for sure.
      const clash = clashes.length === 0 ? undefined : clashes.find((c) => c.field === field);
      // U+FFFD in a name for invalid bytes, as in a value (cleanValue); written as such, a name.
      if (origin.replaced !== false && field.includes('\uFFFD')) {
        values[field] = null;
        problems.push(undecodedNameProblem(field, at));
      } else if (clash) {
        values[field] = null;
        problems.push(clashProblem(clash, origin.file, index));
      } else if (mixed.has(field)) {
        values[field] = null;
        problems.push(mixedProblem(field, mixed.get(field) as string, origin.file, index));
      } else values[field] = cleanValue(field, value, trims(field), problems, at);
    }
    const record: XmlRecord = { index, values, problems };
    if (repeated.length > 0) record.repeated = repeated;
    if (lists.length > 0) record.lists = lists;
    return record;
  });
  // No record at the path: the elements that may be the records, moved, for the stream's key to
  // tell from an empty export's header (carried.ts).
  const fieldNames = (node: unknown) => Object.keys(flattenRecord(node, local).values);
  const strays = records.length === 0 ? strayRecords(doc, recordPath, shownName, fieldNames) : [];
  // Records: elements beside them carrying the key are not read, and the read says so (absent-warnings.ts).
  const beside = records.length === 0 ? [] : besideRecords(doc, recordPath, shownName, fieldNames);
  const recordName = shownName(recordPath[recordPath.length - 1] ?? '');
  return { ok: true, file: { records, fields, strays, beside, recordName } };
}

/**
 * The row problem of a record element holding text of its own (`<ZZ>甲<DM>01</DM></ZZ>`): no field
 * reads it, and the record went out without it. Record, file and element are named, never the text.
 */
function ownTextProblem(recordPath: readonly string[], file: string, index: number): RowProblem {
  const element = shownName(recordPath[recordPath.length - 1] ?? '');
  return {
    column: element,
    code: CODE_DECODE,
    message: `xml-files: decode failed: record ${index} in file ${file}: its record element <${element}> holds text of its own, outside any field, which no field reads and the record would go out without; have the export tool write that text in an element of its own`,
  };
}

/**
 * The row problem of an element holding text beside child elements: field, record, file and the
 * child's name as shownName shows it (a value's unescaped `<王…>` parses as an element), never text.
 */
function mixedProblem(field: string, child: string, file: string, index: number): RowProblem {
  const shown = shownName(child);
  const escaped = shown === '…' ? '&lt;…&gt;' : `&lt;${shown}&gt;`;
  return {
    column: field,
    code: CODE_DECODE,
    message: `xml-files: decode failed: field ${field} of record ${index} in file ${file} holds text beside child elements (<${shown}>): read as one value, its text would run together without them; have the export tool escape markup in values (${escaped}) or write such values in CDATA sections`,
  };
}
