/**
 * Flattens one parsed record element into field names and raw values: attributes and simple
 * children by name, nested children as `A.B`, repeated children as arrays (records.ts parses the
 * file, record-values.ts turns the raw values into text).
 *
 * A dot is legal in an XML name, so `<DZ.SHENG>` and `<DZ><SHENG>` (or an attribute `SHENG` of
 * `<DZ>`, or an attribute named `DZ.SHENG`) all flatten to `DZ.SHENG`: in one record, one value
 * silently replaced the other. Each field remembers the element or attribute it was read from, and
 * a field read from two is told as a clash, for the record to be refused.
 */
import type { RowProblem } from '../source.js';
import { elementName, fieldRecord } from './member-names.js';
import { clashingNames, NAMESPACE_MARK } from './namespace-clashes.js';
import { ATTR, declaresNamespace, localName, TEXT } from './record-path.js';
import { PreservedText, type RawValue } from './record-values.js';
import { PRESERVE_MARK } from './space-scopes.js';
import { SPLIT_MARK } from './split-text.js';

/** A field of one record read from two different elements or attributes (names only). */
export interface FieldClash {
  field: string;
  /** Where each was read from, as a message shows it: `<DZ.SHENG>`, `<DZ><SHENG>`. */
  from: [string, string];
  /**
   * The repeated element (`<XM>`) when its occurrences read the field from the two places, each
   * occurrence from one: no value replaced another, but the field's list mixes the two.
   */
  repeated?: string;
  /** Two elements of one local name in two namespaces (namespace-clashes.ts), read as one repeated. */
  namespaces?: true;
}

export interface FlatRecord {
  values: Record<string, RawValue>;
  clashes: FieldClash[];
  /** Elements the record holds more than once, by field name (`XM`, `JYXM`): lists, for discovery. */
  repeated: string[];
  /**
   * Fields whose element's text a child element splits (split-text.ts), each with the first child's
   * name: `预包装<b>食品</b>销售` read as one value ran its pieces together.
   */
  mixed: Map<string, string>;
  /**
   * Whether the record element holds text of its own beside (or instead of) its fields: `<ZZ>甲<DM>01</DM></ZZ>`.
   * No field reads it, and the record went out without it; layout between fields is none.
   */
  ownText: boolean;
}

/**
 * Where a field was read from: the element path below the record element (`<DZ><SHENG>`, built up
 * as flatten descends), then `@` and the attribute, if one (no XML name holds `@`). Kept this short
 * for every field of every record; `shown` words it for a message, for a clash only.
 */
function origin(path: string, attribute?: string): string {
  return attribute === undefined ? path : `${path}@${attribute}`;
}

/** An origin as a message shows it: `<DZ><SHENG>`, `attribute dm of <DZ>`. */
function shown(from: string): string {
  const at = from.lastIndexOf('@');
  if (at < 0) return from;
  const path = from.slice(0, at);
  return `attribute ${from.slice(at + 1)} of ${path === '' ? 'the record element' : path}`;
}

class Fields {
  /**
   * Attributes read by their local names (`lic:dm` as `dm`), namespace declarations left out: a
   * record path written without prefixes (records.ts). Two of one element with one local name
   * are told as a clash (their origins keep the prefixes), not one value replacing the other.
   */
  constructor(readonly localNames: boolean) {}

  readonly values = fieldRecord<RawValue>();
  readonly origins = new Map<string, string>();
  readonly clashes: FieldClash[] = [];
  readonly repeated = new Set<string>();
  readonly mixed = new Map<string, string>();
  /** The fields put while an element of two namespaces is read (namespaceClash), else null. */
  read: Set<string> | null = null;

  put(field: string, value: RawValue, from: string): void {
    this.read?.add(field);
    const had = this.origins.get(field);
    if (had === undefined) this.origins.set(field, from);
    else if (had !== from) this.clash(field, had, from);
    this.values[field] = value;
  }

  /** A field read from two origins (origin's form). */
  clash(field: string, first: string, second: string, repeated?: string): void {
    const from: [string, string] = [shown(first), shown(second)];
    this.add({ field, from, ...(repeated === undefined ? {} : { repeated }) });
  }

  /**
   * The fields read from an element of one local name in two namespaces (`<MC>`, `<ext:MC>`) and
   * from what it holds, whose values ran the two together: each a clash naming the two.
   */
  namespaceClash(fields: ReadonlySet<string>, first: string, second: string): void {
    for (const field of fields) {
      const i = this.clashes.findIndex((c) => c.field === field);
      if (i >= 0) this.clashes.splice(i, 1);
      this.add({ field, from: [first, second], namespaces: true });
    }
  }

  /** A clash as told, once per field. */
  add(clash: FieldClash): void {
    if (!this.clashes.some((c) => c.field === clash.field)) this.clashes.push(clash);
  }
}

/** One record element's fields, and the fields read from two places (null-ed by the caller). */
export function flattenRecord(node: unknown, localNames = false): FlatRecord {
  const fields = new Fields(localNames);
  flatten(node, '', fields, '', '');
  return {
    values: fields.values,
    clashes: fields.clashes,
    repeated: [...fields.repeated],
    mixed: fields.mixed,
    ownText: holdsOwnText(node),
  };
}

// XML white space (§2.3 S): the layout a pretty-printed export puts between a record's fields.
const LAYOUT = /^[ \t\r\n]*$/;

/** Whether a record element holds text that is not layout: a record of text only is a string. */
function holdsOwnText(node: unknown): boolean {
  const text = node !== null && typeof node === 'object' ? (node as Record<string, unknown>)[TEXT] : node;
  return typeof text === 'string' && !LAYOUT.test(text);
}

/**
 * Attributes and simple children by name, nested children as `A.B`. An attribute and a child
 * element of one element with the same name (`<Record ID="7"><ID>…</ID>`) would share one name,
 * one value lost: the attribute keeps the plain name, as it always had it (a stream's `key: ID`
 * reads the same value after an upgrade), and the element's text is read as `ID.#text`.
 * `textName` is where this element's own text goes (its name, unless renamed so); `at` is the
 * element path below the record element, as origin shows it.
 */
function flatten(node: unknown, prefix: string, out: Fields, textName: string, at: string): void {
  if (node === null || typeof node !== 'object') return;
  const members = node as Record<string, unknown>;
  // A leaf inside an `xml:space="preserve"` scope carries the mark too: its text is one.
  const preserve = preserving(members);
  const namespaces = Object.hasOwn(members, NAMESPACES) ? clashingNames(String(members[NAMESPACES])) : null;
  // Found once for the element, not once for each of its children (hasAttribute).
  const attributes = localAttributes(members, out);
  for (const [rawName, value] of Object.entries(members)) {
    if (rawName === MARK || rawName === SPLIT || rawName === NAMESPACES) continue;
    if (rawName === TEXT && prefix === '') continue; // the record element's own text: holdsOwnText
    if (rawName === TEXT && layoutOnly(members)) continue;
    if (rawName === TEXT) noteMixed(members, textName, out);
    const isAttribute = rawName.startsWith(ATTR);
    const written = isAttribute ? rawName.slice(ATTR.length) : elementName(rawName);
    if (isAttribute && out.localNames && declaresNamespace(written)) continue;
    const local = isAttribute ? attributeName(written, out) : written;
    const name = rawName === TEXT ? textName : `${prefix}${local}`;
    const here = isAttribute || rawName === TEXT ? at : `${at}<${local}>`;
    const from = origin(here, isAttribute ? written : undefined);
    // A child element named as an attribute of this element: its text under `name.#text`.
    const clash = !isAttribute && rawName !== TEXT && hasAttribute(members, local, attributes);
    const text = clash ? `${name}.${TEXT}` : name;
    // Elements of this local name in two namespaces: the fields they give are noted as they are read.
    const twoNamespaces = isAttribute || rawName === TEXT ? undefined : namespaces?.get(local);
    const around = out.read;
    if (twoNamespaces) out.read = new Set();
    if (Array.isArray(value)) flattenRepeated(text, value, out, here, name);
    else if (value !== null && typeof value === 'object') {
      // An empty element with attributes only (`<GXSJ xsi:nil="true"/>`, JAXB's way of writing a
      // null) is there, with no text: read as `<GXSJ/>` is, not as an absent field — empty, which
      // a field of its own reads as null, and an item of a repeated container's list as `""`, as
      // when the element is repeated (flattenRepeated). Null here, such an item read `null` where
      // `<GXSJ/>`, or the same element held twice, read `""`.
      if (Object.keys(value).every((k) => k.startsWith(ATTR))) out.put(text, '', from);
      flatten(value, `${name}.`, out, text, here);
    } else if (isAttribute) {
      out.put(text, value === undefined ? null : attributeValue(String(value)), from);
    } else if (value === undefined) {
      out.put(text, null, from);
    } else {
      out.put(text, preserve && rawName === TEXT ? new PreservedText(String(value)) : String(value), from);
    }
    if (twoNamespaces) {
      const read = out.read ?? new Set<string>();
      for (const field of read) around?.add(field);
      out.read = around;
      out.namespaceClash(read, `${at}<${twoNamespaces[0]}>`, `${at}<${twoNamespaces[1]}>`);
    }
  }
}

/** An attribute's field name: its local name where the record path names elements so. */
function attributeName(written: string, out: Fields): string {
  return out.localNames ? localName(written) : written;
}

/**
 * Whether an element has an attribute read under `name` (a namespace declaration is none);
 * `local`: the local names of its attributes where they are read so (localAttributes).
 */
function hasAttribute(
  members: Record<string, unknown>,
  name: string,
  local: ReadonlySet<string> | null,
): boolean {
  return local === null ? Object.hasOwn(members, `${ATTR}${name}`) : local.has(name);
}

const NO_ATTRIBUTES: ReadonlySet<string> = new Set();

/** Where attributes are read by their local names, those of an element's attributes; else null. */
function localAttributes(members: Record<string, unknown>, out: Fields): ReadonlySet<string> | null {
  if (!out.localNames) return null;
  let names: Set<string> | null = null;
  for (const k of Object.keys(members)) {
    if (!k.startsWith(ATTR) || k === MARK || k === SPLIT || k === NAMESPACES) continue;
    const written = k.slice(ATTR.length);
    if (declaresNamespace(written)) continue;
    names ??= new Set();
    names.add(localName(written));
  }
  return names ?? NO_ATTRIBUTES;
}

/** The mark space-scopes.ts gives an element inside a preserving scope, as the parser names it. */
const MARK = `${ATTR}${PRESERVE_MARK}`;

/** The mark split-text.ts gives an element whose text a child element splits. */
const SPLIT = `${ATTR}${SPLIT_MARK}`;

/** The mark namespace-clashes.ts gives an element holding children of one local name in two namespaces. */
const NAMESPACES = `${ATTR}${NAMESPACE_MARK}`;

/** Whether an element is inside an `xml:space="preserve"` scope (space-scopes.ts). */
function preserving(node: object): boolean {
  return Object.hasOwn(node, MARK);
}

/**
 * An attribute's value as XML 1.0 §3.3.3 normalises it: each literal line break (after §2.11, one
 * for CR LF) and tab is a space. A writer that means a line break in an attribute escapes it
 * (`&#10;`), which record-values.ts decodes after this, so it stays one.
 */
function attributeValue(raw: string): string {
  return raw.replace(/\r\n|[\t\n\r]/g, ' ');
}

/**
 * A repeated child, so nothing of it is silently dropped: its texts as an array under its name,
 * and each of its own fields (children, attributes) as an array under `name.field` with one entry
 * per occurrence, null where an occurrence lacks it. Occurrences that are only containers
 * (`<JYXM><XMMC>…</XMMC></JYXM>` twice) give no text array, as a nested element gives no field.
 * A field the occurrences read from different elements (`<a.b>` in one, `<a><b>` in another)
 * mixes two things in one array: a clash, as within one element.
 */
function flattenRepeated(
  name: string,
  items: readonly unknown[],
  out: Fields,
  at: string,
  element: string,
): void {
  // One occurrence is an array too where `lists` names the element: held once, it is no sign of one.
  if (items.length > 1) out.repeated.add(element);
  const occurrences = items.map((item) => {
    const fields = new Fields(out.localNames);
    if (item !== null && typeof item === 'object') flatten(item, '', fields, '', at);
    return fields;
  });
  // An occurrence with attributes only (`<XM xsi:nil="true"/>`) is an empty element, as `<XM/>`
  // is, not a container: it keeps the text array, as it keeps the field of a single element.
  // (The mark of a preserving scope is no attribute of the export's, but it is one of these.)
  const containersOnly = items.every(
    (item) =>
      item !== null &&
      typeof item === 'object' &&
      hasChildren(item) &&
      (typeof (item as Record<string, unknown>)[TEXT] !== 'string' || layoutOnly(item)),
  );
  if (!containersOnly) {
    out.put(
      name,
      items.map((v) => (typeof v === 'object' && v !== null ? textOf(v) : String(v))),
      origin(at),
    );
  }
  const names = [...new Set(occurrences.flatMap((f) => Object.keys(f.values)))];
  for (const field of names) {
    const from = [...new Set(occurrences.flatMap((f) => f.origins.get(field) ?? []))];
    out.put(
      `${name}.${field}`,
      occurrences.map((f) => f.values[field] ?? null),
      from[0] as string,
    );
    if (from.length > 1) out.clash(`${name}.${field}`, from[0] as string, from[1] as string, origin(at));
  }
  for (const item of items) {
    if (item !== null && typeof item === 'object') noteMixed(item, name, out);
  }
  for (const f of occurrences) {
    for (const [field, child] of f.mixed)
      if (!out.mixed.has(`${name}.${field}`)) out.mixed.set(`${name}.${field}`, child);
    for (const c of f.clashes) out.add({ ...c, field: `${name}.${c.field}` });
    for (const r of f.repeated) out.repeated.add(`${element}.${r}`);
  }
}

/**
 * Whether an element's text is only the indentation around its child elements. A pretty-printed
 * export (`<DZ>⏎  <SHENG>山东</SHENG>⏎</DZ>`) gives such text, a compact one of the same data none:
 * read as the element's value it made a field `DZ` (and `["",""]` for a repeated container) appear
 * or not with the tool's layout, its value the indentation where values are not trimmed. XML white
 * space only (LAYOUT): a full-width space (U+3000) or a no-break space, which String#trim also
 * takes, is data, and the element's value was dropped without a word.
 */
function layoutOnly(node: object): boolean {
  const text = (node as Record<string, unknown>)[TEXT];
  return typeof text === 'string' && LAYOUT.test(text) && hasChildren(node);
}

function hasChildren(node: object): boolean {
  return Object.keys(node).some((k) => k !== TEXT && !k.startsWith(ATTR));
}

/**
 * Notes `field` when a child element splits its element's text (split-text.ts): the parser hands
 * the pieces over joined, `预包装<b>食品</b>销售` as `预包装销售`, a changed value.
 */
function noteMixed(node: object, field: string, out: Fields): void {
  if (out.mixed.has(field) || !Object.hasOwn(node, SPLIT)) return;
  const child = Object.keys(node).find((k) => k !== TEXT && !k.startsWith(ATTR));
  if (child !== undefined) out.mixed.set(field, elementName(child));
}

/** An occurrence's own text; the indentation around its children is none (layoutOnly). */
function textOf(node: object): RawValue {
  const t = (node as Record<string, unknown>)[TEXT];
  const text = typeof t === 'string' && !layoutOnly(node) ? t : '';
  return preserving(node) ? new PreservedText(text) : text;
}

export const CODE_FIELD_CLASH = 'LB_SOURCE_FIELD_CLASH';

/** The row problem of a clash: file, record and the two elements, never a value. */
export function clashProblem(c: FieldClash, file: string, index: number): RowProblem {
  const [first, second] = c.from;
  const what = c.namespaces
    ? `is read from both ${first} and ${second}, elements of two namespaces that a \`recordPath\` without prefixes reads by one local name: read as one repeated element, their texts would run into one list; have the export tool rename one of them, or write \`recordPath\` with prefixes`
    : c.repeated === undefined
      ? `is read from both ${first} and ${second}, and one value would replace the other; have the export tool rename one of them`
      : `is read from ${first} in some occurrences of ${c.repeated} and from ${second} in others, and its list would mix the two; have the export tool write every occurrence alike`;
  return {
    column: c.field,
    code: CODE_FIELD_CLASH,
    message: `xml-files: field clash: field ${c.field} of record ${index} in file ${file} ${what}`,
  };
}
