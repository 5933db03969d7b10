/**
 * Laying out a license face from its template: each text box resolved to lines of glyphs at
 * fixed positions, the seal's box, the QR code's modules. The OFD writer and the face picture
 * both draw from this one layout. A box's text is made drawable (drawable-text.ts), fitted to
 * its box (fit-box.ts: wrap-lines.ts, ellipsis.ts) and placed (lay-box.ts).
 */
import { PLACEHOLDER } from '../../../catalog/face-template.js';
import type { License } from '../../../catalog/license.js';
import { drawable } from './drawable-text.js';
import type { FaceTemplate, FaceText } from './face-template.js';
import { type LaidBox, type LaidLine, layBox } from './lay-box.js';
import { type QrModules, qrModules, toRows } from './qr-code.js';

export type { LaidLine } from './lay-box.js';

export interface FaceLayout {
  page: { width: number; height: number };
  border: FaceTemplate['border'];
  lines: LaidLine[];
  seal: FaceTemplate['seal'];
  qr: {
    x: number;
    y: number;
    size: number;
    content: string;
    /** Rows of modules, true for dark (made from `symbol` when first read). */
    modules: boolean[][];
    /** The modules packed, as the encoder made them: what the OFD writer draws from. */
    symbol?: QrModules;
  };
  /** Text boxes whose value did not fit their lines even at their `minSize` (cut with …). */
  overflows: string[];
}

// A template's field paths, split once: they come back for every license laid out.
const splitPaths = new Map<string, string[]>();

function valueAt(license: License, path: string): unknown {
  let parts = splitPaths.get(path);
  if (!parts) {
    parts = path.split('.');
    if (splitPaths.size >= 1024) splitPaths.clear();
    splitPaths.set(path, parts);
  }
  let v: unknown = license;
  for (const part of parts) {
    // Own fields only: a face field the surface schema names `toString` or `valueOf`, left
    // unwritten by the mapping, read the method every object inherits and printed its source text.
    if (v === null || typeof v !== 'object' || !Object.hasOwn(v, part)) return undefined;
    v = (v as Record<string, unknown>)[part];
  }
  return v;
}

/**
 * A date as the face prints it. Missing, it is 长期 only for `validTo`, where no end means a
 * long-term license (catalog/license.ts); any other date the license lacks prints blank, as any
 * missing field does — 长期 there would state what the license does not say.
 */
function dateText(v: unknown, field: string | undefined): string {
  if (v === null || v === undefined || v === '') return field === 'validTo' ? '长期' : '';
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(String(v));
  return m ? `${m[1]}年${m[2]}月${m[3]}日` : String(v);
}

/**
 * The list's items as text (`dates`: each as a date box prints one), joined by `separator`; holes,
 * null and empty items left out, as the mapping's `join` transform leaves them out: joined as they
 * were, an empty item printed a doubled
 * separator (`热食类、、冷食类`) and a null one the word `null` on the sealed license. Built without
 * a mapped array: an array `map` makes is packed before V8 compiles its caller and holey after,
 * and the `join` that had only seen the one kind threw the compiled layout away (a "wrong map"
 * deoptimisation).
 */
function joined(list: readonly unknown[], separator: string, dates: boolean): string {
  let out = '';
  let first = true;
  for (let i = 0; i < list.length; i++) {
    const item = list[i];
    if (item === undefined || item === null || item === '') continue;
    if (!first) out += separator;
    out += dates ? dateText(item, undefined) : String(item);
    first = false;
  }
  return out;
}

/** The text a box shows for this license. */
export function boxText(box: FaceText, license: License): string {
  if (box.text !== undefined) return box.text;
  const raw = valueAt(license, box.field ?? '');
  let value: string;
  // A list of dates first: as one value, `String` printed it `2024-01-15,2024-06-20`, each date
  // unformatted and joined by a comma, not by `join`.
  if (Array.isArray(raw)) value = joined(raw, box.join ?? '、', box.format === 'date');
  else if (box.format === 'date') value = dateText(raw, box.field);
  else value = raw === undefined || raw === null ? '' : String(raw);
  return `${box.prefix ?? ''}${value}`;
}

/**
 * A field box's text laid out, and whether more than one layout holds it yet: its advances are
 * frozen once it is shared (V8 freezes an array of doubles by boxing each number, a cost paid
 * only for texts that come back).
 */
interface Known {
  laid: LaidBox;
  shared: boolean;
}

/**
 * A template's boxes laid out: its fixed texts once — the title and captions every license of the
 * type shows the same — frozen, as every layout of the template shares them; and per field box,
 * the texts laid out so far by the text (`boxText`, prefix and all). A box's layout is a function
 * of its template box and its text alone, and the licenses of a type repeat most of their values
 * (the issuer, a batch's dates, the business form and items): each laid out once, not once per
 * license. Keyed by the whole text, so a box is shared only with layouts that show the very same.
 */
interface TemplateBoxes {
  fixed: (LaidBox | undefined)[];
  byText: Map<string, Known>[];
}

/** Texts kept per field box; past it the box's memo starts over (names and addresses never repeat). */
const TEXTS_PER_BOX = 64;

/** Per template, by identity: a catalog's templates are frozen and live as long as it. */
const templateBoxes = new WeakMap<FaceTemplate, TemplateBoxes>();

function boxesOf(template: FaceTemplate): TemplateBoxes {
  let boxes = templateBoxes.get(template);
  if (!boxes) {
    const fixed: (LaidBox | undefined)[] = [];
    const byText: Map<string, Known>[] = [];
    template.texts.forEach((box, index) => {
      byText.push(new Map());
      if (box.text === undefined) {
        fixed.push(undefined);
        return;
      }
      const laid = layBox(box, index, drawable(box.text));
      for (const line of laid.lines) Object.freeze(line.deltas);
      fixed.push({ lines: Object.freeze(laid.lines) as LaidLine[], overflow: laid.overflow });
    });
    boxes = { fixed, byText };
    templateBoxes.set(template, boxes);
  }
  return boxes;
}

/** The field box `index` laid out with `text`: from the box's memo when laid out before. */
function laidField(byText: Map<string, Known>, box: FaceText, index: number, text: string): LaidBox {
  const known = byText.get(text);
  if (known !== undefined) {
    if (!known.shared) {
      for (const line of known.laid.lines) Object.freeze(line.deltas);
      Object.freeze(known.laid.lines);
      known.shared = true;
    }
    return known.laid;
  }
  const laid = layBox(box, index, drawable(text));
  if (byText.size >= TEXTS_PER_BOX) byText.clear();
  byText.set(text, { laid, shared: false });
  return laid;
}

export function layoutFace(template: FaceTemplate, license: License, qrContent?: string): FaceLayout {
  const lines: LaidLine[] = [];
  const overflows: string[] = [];
  const { fixed, byText } = boxesOf(template);
  const boxes = template.texts;
  for (let index = 0; index < boxes.length; index++) {
    const box = boxes[index] as FaceText;
    const laid =
      fixed[index] ?? laidField(byText[index] as Map<string, Known>, box, index, boxText(box, license));
    if (laid.overflow !== undefined) overflows.push(laid.overflow);
    for (const line of laid.lines) lines.push(line);
  }
  const content =
    qrContent ??
    (template.qr.url
      ? // Every placeholder, as the catalog counts them against the code's room (face-template.ts).
        template.qr.url.replaceAll(PLACEHOLDER, encodeURIComponent(license.identifier))
      : license.identifier);
  // Error correction M: the code survives a fold or a smudge on a printout.
  const symbol = qrModules(content);
  let modules: boolean[][] | undefined;
  return {
    page: template.page,
    border: template.border,
    lines,
    seal: template.seal,
    qr: {
      x: template.qr.x,
      y: template.qr.y,
      size: template.qr.size,
      content,
      // Rows of booleans only for a reader that asks (the face picture): the OFD page draws
      // from the packed symbol, and a batch of layouts holds no rows it never reads.
      get modules() {
        modules ??= toRows(symbol);
        return modules;
      },
      symbol,
    },
    overflows,
  };
}
