/**
 * The parts of a one-page OFD document (GB/T 33190-2016) for a laid-out license face:
 *
 * ```
 * OFD.xml                          entry: document info, DocRoot (and Signatures once signed)
 * Doc_0/Document.xml               page area, resources, the page list
 * Doc_0/PublicRes.xml              fonts (by name: readers substitute installed faces)
 * Doc_0/Pages/Page_0/Content.xml   the face: frame, text objects, the QR code as a path
 * ```
 *
 * Fonts are named, not embedded: a CJK font is megabytes and a license file stays small; every
 * glyph's position is fixed by DeltaX, so a substituted face cannot move the layout.
 */

import { DEFAULT_TIME_ZONE, localDate } from '../../../core/local-date.js';
import { drawnWidth } from '../face/lay-box.js';
import type { FaceLayout, LaidLine } from '../face/layout.js';
import { qrPath, qrPathOf } from './qr-path.js';
import { sharedParts } from './shared-parts.js';
import { esc, num, OFD_NS, rgb, XML_DECL } from './xml.js';

export const DOC_ROOT = 'Doc_0/Document.xml';
export const PAGE_PATH = 'Doc_0/Pages/Page_0/Content.xml';
export const SIGNATURES_PATH = 'Doc_0/Signs/Signatures.xml';

export interface OfdDocument {
  /** Part path (no leading slash) → bytes, in package order. */
  parts: Map<string, Uint8Array>;
  /** The page's ID (what a StampAnnot's PageRef names). */
  pageId: number;
  /** The next free object ID. */
  nextId: number;
}

export interface OfdDocInfo {
  /** DocID: 32 hex digits. */
  docId: string;
  title: string;
  author: string;
  /** Written as the creation date (YYYY-MM-DD, its date in `timeZone`). */
  createdAt: Date;
  /** IANA zone whose calendar day is the creation date: `lifecycle.timeZone`. @defaultValue Asia/Shanghai */
  timeZone?: string;
  /** Custom data shown by readers' document properties (no personal data). */
  custom: Record<string, string>;
}

/**
 * Advances as OFD's DeltaX writes them (GB/T 33190 §11.3): numbers as `num` writes them,
 * space-separated, and a run of three or more equal ones as `g <count> <value>` — a CJK line is
 * one run, so its list is a few bytes instead of four a glyph (all of them hashed, stored and
 * written for every license).
 */
function numList(values: readonly number[]): string {
  // A template's fixed lines share frozen advances (face/layout.ts): written once. Frozen, an
  // array of numbers is read element by element through V8's generic path, and numList read
  // both kinds of array on every page, the shared ones and each license's own.
  if (Object.isFrozen(values)) {
    let known = frozenLists.get(values);
    if (known === undefined) {
      known = writeNumList(values);
      frozenLists.set(values, known);
    }
    return known;
  }
  return writeNumList(values);
}

/** DeltaX lists of frozen (shared) advances, by the array. */
const frozenLists = new WeakMap<readonly number[], string>();

function writeNumList(values: readonly number[]): string {
  let out = '';
  for (let i = 0; i < values.length; ) {
    const v = values[i] as number;
    let end = i + 1;
    while (end < values.length && values[end] === v) end++;
    const text = num(v);
    const count = end - i;
    const piece = count >= 3 ? `g ${count} ${text}` : count === 2 ? `${text} ${text}` : text;
    out += out === '' ? piece : ` ${piece}`;
    i = end;
  }
  return out;
}

/**
 * CreationDate (xs:date, no zone): the date on the department's clock (`lifecycle.timeZone`,
 * China Standard Time unless configured). The UTC date is the day before for a file made between
 * 00:00 and 08:00 Beijing time, when stock licenses are issued.
 */
function creationDate(info: OfdDocInfo): string {
  return localDate(documentZone(info), info.createdAt);
}

/** The zone of a file's CreationDate, whose wall clock its ZIP entries' times are too. */
export function documentZone(info: OfdDocInfo): string {
  return info.timeZone ?? DEFAULT_TIME_ZONE;
}

const ENTRY_END = '</ofd:DocBody></ofd:OFD>\n';

export function ofdEntryXml(info: OfdDocInfo, signatures: string | null): string {
  // Joined as it goes, not mapped and joined: see ofd-signature.ts on arrays `map` makes.
  let custom = '';
  for (const [k, v] of Object.entries(info.custom))
    custom += `<ofd:CustomData Name="${esc(k)}">${esc(v)}</ofd:CustomData>`;
  return (
    `${XML_DECL}<ofd:OFD xmlns:ofd="${OFD_NS}" Version="1.0" DocType="OFD"><ofd:DocBody><ofd:DocInfo>` +
    `<ofd:DocID>${esc(info.docId)}</ofd:DocID><ofd:Title>${esc(info.title)}</ofd:Title>` +
    `<ofd:Author>${esc(info.author)}</ofd:Author><ofd:CreationDate>${creationDate(info)}</ofd:CreationDate>` +
    `<ofd:Creator>licbridge</ofd:Creator>${custom ? `<ofd:CustomDatas>${custom}</ofd:CustomDatas>` : ''}` +
    `</ofd:DocInfo><ofd:DocRoot>${DOC_ROOT}</ofd:DocRoot>${signatures ? `<ofd:Signatures>${signatures}</ofd:Signatures>` : ''}` +
    ENTRY_END
  );
}

// The OFD.xml buildOfd made, and the document info it was made from.
const unsignedEntries = new WeakMap<Uint8Array, OfdDocInfo>();

/**
 * OFD.xml naming `signatures`, as `ofdEntryXml(info, signatures)` encodes it: for a document
 * buildOfd made from this very `info`, its entry's bytes with the Signatures element put before
 * the closing tags, instead of the text built, escaped and encoded a second time.
 */
export function signedEntry(doc: OfdDocument, info: OfdDocInfo, signatures: string): Buffer {
  const entry = doc.parts.get('OFD.xml');
  if (entry === undefined || unsignedEntries.get(entry) !== info) {
    return Buffer.from(ofdEntryXml(info, signatures), 'utf8');
  }
  const cut = entry.length - ENTRY_END.length;
  const end = `<ofd:Signatures>${signatures}</ofd:Signatures>${ENTRY_END}`;
  const out = Buffer.allocUnsafe(cut + Buffer.byteLength(end, 'utf8'));
  out.set(entry.subarray(0, cut));
  out.write(end, cut, 'utf8');
  return out;
}

const PAGE_END = Buffer.from(
  '</ofd:AbbreviatedData></ofd:PathObject></ofd:Layer></ofd:Content></ofd:Page>\n',
  'utf8',
);

/**
 * The page in one buffer: its text up to the QR code's path as one string of bytes (`page`: ASCII
 * markup, and the lines' texts as their UTF-8 bytes, one character a byte — `utf8Bytes`), the
 * path, the closing tags. Joined as text, one Chinese line made the whole page a two-byte string,
 * flattened and encoded as such (some 8 µs a license); written run by run, markup and texts in
 * turn, the page took some twenty writes into the buffer, each with its own checks.
 */
function pageBytes(page: string, path: Uint8Array): Buffer {
  const out = Buffer.allocUnsafe(page.length + path.length + PAGE_END.length);
  const at = out.write(page, 0, 'latin1');
  out.set(path, at);
  out.set(PAGE_END, at + path.length);
  return out;
}

/**
 * `text`'s UTF-8 bytes as a string of one character a byte (latin1): what `pageBytes` writes as
 * it is, so markup and texts join into one one-byte string.
 */
function utf8Bytes(text: string): string {
  return Buffer.from(text, 'utf8').toString('latin1');
}

/** The parts every license of a template shares (unless wrapping changes the object count). */
interface SharedPageParts {
  docRoot: Uint8Array;
  publicRes: Uint8Array;
}

// Those parts by what their text is made of (the fonts in order, the IDs, the page box): the text
// built and looked up in sharedParts once, not for every license. Started over past a few hundred.
const sharedByKey = new Map<string, SharedPageParts>();

function sharedPartsOf(
  fonts: ReadonlyMap<string, number>,
  maxId: number,
  pageId: number,
  box: string,
): SharedPageParts {
  // Each name after its length: one key per list of names, whatever they hold (JSON of them all,
  // as before, cost a few µs a license).
  let key = `${maxId} ${pageId} ${box}`;
  for (const name of fonts.keys()) key += ` ${name.length}:${name}`;
  let known = sharedByKey.get(key);
  if (known === undefined) {
    const fontXml = [...fonts]
      .map(([name, fid]) => `<ofd:Font ID="${fid}" FontName="${esc(name)}" FamilyName="${esc(name)}"/>`)
      .join('');
    known = {
      docRoot: sharedParts.bytes(
        `${XML_DECL}<ofd:Document xmlns:ofd="${OFD_NS}"><ofd:CommonData><ofd:MaxUnitID>${maxId}</ofd:MaxUnitID>` +
          `<ofd:PageArea>${box}</ofd:PageArea><ofd:PublicRes>PublicRes.xml</ofd:PublicRes>` +
          `</ofd:CommonData><ofd:Pages><ofd:Page ID="${pageId}" BaseLoc="Pages/Page_0/Content.xml"/></ofd:Pages></ofd:Document>\n`,
      ),
      publicRes: sharedParts.bytes(
        `${XML_DECL}<ofd:Res xmlns:ofd="${OFD_NS}" BaseLoc="Res"><ofd:Fonts>${fontXml}</ofd:Fonts></ofd:Res>\n`,
      ),
    };
    if (sharedByKey.size >= 256) sharedByKey.clear();
    sharedByKey.set(key, known);
  }
  return known;
}

/** A laid line's text object as the page writes it, but for its ID and its font's. */
interface LineText {
  /** The Boundary's value. */
  boundary: string;
  /** From after the Font attribute to the start of the text: size, colour, baseline, DeltaX. */
  rest: string;
  /** The line's text, escaped, as its UTF-8 bytes (`utf8Bytes`). */
  bytes: string;
}

/**
 * Text objects of shared lines (a template's fixed texts, the values layouts share: face/layout.ts),
 * by the line: the same line comes back on every page of its type, written once. A line is shared
 * once its advances are frozen; lines of one license only are written as they come.
 */
const sharedLineTexts = new WeakMap<LaidLine, LineText>();

function lineTextOf(line: LaidLine): LineText {
  if (!Object.isFrozen(line.deltas)) return lineText(line);
  let known = sharedLineTexts.get(line);
  if (known === undefined) {
    known = lineText(line);
    sharedLineTexts.set(line, known);
  }
  return known;
}

function lineText(line: LaidLine): LineText {
  // The Boundary holds what the line draws: the spaces at its end (a CHAR(n) value's padding)
  // hang past the template's box, and counted they took the Boundary past it and off the page,
  // where a reader may clip or warn. At least an em wide, as a line of spaces alone draws nothing.
  const deltas = line.deltas.length > 0 ? ` DeltaX="${numList(line.deltas)}"` : '';
  return {
    boundary: `${num(line.x)} ${num(line.top)} ${num(Math.max(drawnWidth(line), line.size))} ${num(line.size * 1.2)}`,
    rest:
      ` Size="${num(line.size)}"><ofd:FillColor Value="${rgb(line.color)}"/>` +
      `<ofd:TextCode X="0" Y="${num(line.baseline - line.top)}"${deltas}>`,
    bytes: utf8Bytes(esc(line.text)),
  };
}

export function buildOfd(layout: FaceLayout, info: OfdDocInfo): OfdDocument {
  let id = 1;
  const fonts = new Map<string, number>();
  for (const line of layout.lines) if (!fonts.has(line.font)) fonts.set(line.font, id++);
  const pageId = id++;
  const layerId = id++;
  const { width: W, height: H } = layout.page;
  const box = `<ofd:PhysicalBox>0 0 ${num(W)} ${num(H)}</ofd:PhysicalBox>`;
  // The page up to the QR code's path, as bytes (see pageBytes).
  let page = `${XML_DECL}<ofd:Page xmlns:ofd="${OFD_NS}"><ofd:Area>${box}</ofd:Area><ofd:Content><ofd:Layer ID="${layerId}" Type="Body">`;
  if (layout.border) {
    const b = layout.border;
    const w = W - 2 * b.inset;
    const h = H - 2 * b.inset;
    page +=
      `<ofd:PathObject ID="${id++}" Boundary="${num(b.inset)} ${num(b.inset)} ${num(w)} ${num(h)}" LineWidth="${num(b.width)}" Stroke="true" Fill="false">` +
      `<ofd:StrokeColor Value="${rgb(b.color)}"/><ofd:AbbreviatedData>M 0 0 L ${num(w)} 0 L ${num(w)} ${num(h)} L 0 ${num(h)} C</ofd:AbbreviatedData></ofd:PathObject>`;
  }
  for (const line of layout.lines) {
    const text = lineTextOf(line);
    page += `<ofd:TextObject ID="${id++}" Boundary="${text.boundary}" Font="${fonts.get(line.font)}"${text.rest}${text.bytes}</ofd:TextCode></ofd:TextObject>`;
  }
  const q = layout.qr;
  const unit = q.size / (q.symbol?.n ?? q.modules.length);
  // The QR code is the last object: the page is its text before the code's path, the path
  // (bytes), and the closing tags.
  page +=
    `<ofd:PathObject ID="${id++}" CTM="${num(unit)} 0 0 ${num(unit)} 0 0" Boundary="${num(q.x)} ${num(q.y)} ${num(q.size)} ${num(q.size)}" Stroke="false" Fill="true">` +
    '<ofd:FillColor Value="0 0 0"/><ofd:AbbreviatedData>';
  const shared = sharedPartsOf(fonts, id - 1, pageId, box);
  const entry = Buffer.from(ofdEntryXml(info, null), 'utf8');
  unsignedEntries.set(entry, info);
  const parts = new Map<string, Uint8Array>([
    ['OFD.xml', entry],
    [DOC_ROOT, shared.docRoot],
    ['Doc_0/PublicRes.xml', shared.publicRes],
    [PAGE_PATH, pageBytes(page, q.symbol ? qrPathOf(q.symbol) : qrPath(q.modules))],
  ]);
  return { parts, pageId, nextId: id };
}
