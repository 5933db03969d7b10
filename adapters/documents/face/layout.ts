/**
 * Laying out a license face from its template: each text box resolved to lines of glyphs at
 * fixed positions, the seal's box, the QR code's modules. The OFD writer and the face picture
 * both draw from this one layout.
 */
import { PLACEHOLDER } from '../../../catalog/face-template.js';
import type { License } from '../../../catalog/license.js';
import { NOT_XML_CHAR } from '../../../core/xml-chars.js';
import type { FaceTemplate, FaceText } from './face-template.js';
import { type QrModules, qrModules, toRows } from './qr-code.js';
import { advanceOf, isHangingSpace, noLineStart, widthEm } from './text-measure.js';

/** A laid line: read only, as the lines of a template's fixed texts are shared (and frozen). */
export interface LaidLine {
  /** Left of the first glyph, mm. */
  readonly x: number;
  /** Baseline, mm. */
  readonly baseline: number;
  /** Top of the line box, mm. */
  readonly top: number;
  readonly size: number;
  readonly font: string;
  readonly color: string;
  readonly text: string;
  /** Advance after each glyph but the last, mm (OFD DeltaX). */
  readonly deltas: readonly number[];
  /** Width of the laid text, mm. */
  readonly width: number;
}

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
 * `list.map(String).join(separator)` (a hole joins as nothing), without the mapped array: an
 * array `map` makes is packed before V8 compiles its caller and holey after, and the `join` that
 * had only seen the one kind threw the compiled layout away (a "wrong map" deoptimisation).
 */
function joined(list: readonly unknown[], separator: string): string {
  let out = '';
  for (let i = 0; i < list.length; i++) {
    if (i > 0) out += separator;
    if (i in list) out += String(list[i]);
  }
  return out;
}

/** The text a box shows for this license. */
export function boxText(box: FaceText, license: License): string {
  if (box.text !== undefined) return box.text;
  const raw = valueAt(license, box.field ?? '');
  let value: string;
  if (box.format === 'date') value = dateText(raw, box.field);
  else if (Array.isArray(raw)) value = joined(raw, box.join ?? '、');
  else value = raw === undefined || raw === null ? '' : String(raw);
  return `${box.prefix ?? ''}${value}`;
}

/**
 * Characters XML 1.0 (§2.2 Char) allows nowhere — C0 controls but tab, LF and CR, U+FFFE, U+FFFF,
 * and surrogate halves without their partner — so an OFD page holding one is not well-formed and
 * strict readers refuse the whole file. The input checks of mappings stop controls and broken
 * surrogates, not U+FFFE/U+FFFF; none of them is a glyph. Removed before wrapping, so the text
 * drawn and its advances (DeltaX) agree; in one pattern, not a pass each, as a control removed
 * from between two halves would pair them.
 */
const NOT_DRAWABLE = new RegExp(NOT_XML_CHAR.source, 'g');

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
 * Any character either pattern above could match: C0 controls (breaks and tabs among them),
 * U+0085, U+2028, U+2029, surrogate halves, U+FFFE, U+FFFF. Face text has none as a rule, and one
 * scan for them is cheaper than the two passes that would change nothing.
 */
// biome-ignore lint/suspicious/noControlCharactersInRegex: finds the characters the two passes act on.
const MAY_CHANGE = /[\u0000-\u001F\u0085\u2028\u2029\uD800-\uDFFF\uFFFE\uFFFF]/;

/** The text a box draws: a break or a tab one space, what no reader can draw removed. */
function drawable(text: string): string {
  if (!MAY_CHANGE.test(text)) return text;
  // Breaks first: each becomes a space, never a character whose removal could pair two halves.
  return text.replace(BREAKS, ' ').replace(NOT_DRAWABLE, '');
}

/**
 * Where a line that `cp` (at `i`) would take past its room breaks, or -1 to keep `cp` on it.
 * Closing punctuation may not start a line (避头): one such character hangs past the box. A second
 * (`hanging`: the line is past its room already) would hang further — a run of 。。。 or ...... hung
 * whole ran a line across the page and off it, reported as no overflow — so the run goes down with
 * the last character before it that may start a line (the line then stays inside the box), or,
 * when the run is all the line holds after its start, breaks where it is. Past its room means
 * what the line draws: spaces at its end (a CHAR(n) value's padding) hang and are not counted.
 */
function breakAt(text: string, start: number, i: number, cp: number, hanging: boolean): number {
  if (!noLineStart(cp)) return i;
  if (!hanging) return -1;
  let last = -1;
  for (let k = start; k < i; ) {
    const c = text.codePointAt(k) as number;
    // Not a space: it would start the next line, and spaces at a line's end draw nothing anyway.
    if (k > start && !isHangingSpace(c) && advanceOf(c) > 0 && !noLineStart(c)) last = k;
    k += c > 0xffff ? 2 : 1;
  }
  return last > start ? last : i;
}

/**
 * Where a line breaks before `i` (its code point `cp`) when a word would be cut there: a word is a
 * run of characters narrower than an em other than the space — Latin letters, digits and their
 * punctuation (`Road,`, `91370211MA3C4XYZ0B`, `2024-05-06`), with the marks on them — which goes
 * down to the next line whole, so the break moves back to its start (or to a zero-width space in
 * it, where a word may break). Broken wherever the box ran out, `Changjiang Midd` ended one line
 * and `le Road` began the next, and a code was printed in two pieces. A word that starts the line,
 * or is longer than a whole line (`limit` em), is broken at `i`; a space is kept on its line
 * (hanging past the box: it draws nothing), so no line starts with one.
 */
function wordBreak(text: string, start: number, i: number, cp: number, limit: number): number {
  if (isHangingSpace(cp)) return -1;
  if (!inWord(cp)) return i;
  let k = i;
  while (k > start) {
    const low = text.charCodeAt(k - 1);
    const back = low >= 0xdc00 && low <= 0xdfff && k - 2 >= start ? 2 : 1;
    const prev = text.codePointAt(k - back) as number;
    if ((advanceOf(prev) > 0 && !inWord(prev)) || prev === ZWSP) break;
    k -= back;
  }
  // Marks at the run's start belong to the character before it: the word starts after them.
  while (k < i) {
    const c = text.codePointAt(k) as number;
    if (advanceOf(c) > 0) break;
    k += c > 0xffff ? 2 : 1;
  }
  if (k <= start || k >= i) return i;
  // A word no line can hold is broken where the line ran out, as a word that starts a line is:
  // moved down whole it would leave the line before it short and be broken all the same.
  let width = 0;
  for (let j = k; j < text.length; ) {
    const c = text.codePointAt(j) as number;
    if ((advanceOf(c) > 0 && !inWord(c)) || c === ZWSP) break;
    width += advanceOf(c);
    if (width > limit) return i;
    j += c > 0xffff ? 2 : 1;
  }
  return k;
}

/** ZERO WIDTH SPACE: where a word may break without a space (UAX #14 class ZW), drawn as nothing. */
const ZWSP = 0x200b;

/** Whether `cp` is part of a word (`wordBreak`): drawn narrower than an em, and not a space. */
function inWord(cp: number): boolean {
  return !isHangingSpace(cp) && advanceOf(cp) < 1;
}

/**
 * The longest start of `line`, by code point, that leaves an em for the ellipsis within `limit`.
 * Found in one pass from the start: taken off one code point at a time from the end, with the
 * width summed again each time, it took time quadratic in the line — and spaces hang past the box
 * without limit (wordBreak), so `王`, 8,000 spaces, `海` in a one-line box (a padded value in a
 * list, a memo) took ~10 s to lay out. The widths are summed in the same order as `widthEm`.
 */
function withRoomForEllipsis(line: string, limit: number): string {
  let w = 0;
  let end = 0;
  for (let i = 0; i < line.length; ) {
    const cp = line.codePointAt(i) as number;
    w += advanceOf(cp);
    if (w + 1 > limit) break;
    i += cp > 0xffff ? 2 : 1;
    end = i;
  }
  return line.slice(0, end);
}

/**
 * Splits text into lines of at most `maxEm` em; the last line is cut with … when text remains.
 * Read by code point and cut into lines by slicing: no string per character (a face has a few
 * hundred of them, in every license file).
 */
function wrap(text: string, maxEm: number, maxLines: number): { lines: string[]; cut: boolean } {
  const lines: string[] = [];
  const limit = maxEm + 1e-9;
  let start = 0;
  let w = 0;
  // The line's width up to its last character that draws: the spaces after it hang past the box
  // (wordBreak). Counted, a value's padding past the room made the closing mark after it (`、` of
  // a list, `）`) a second hanging mark, sent down with the last space: a line started with one.
  let drawn = 0;
  for (let i = 0; i < text.length; ) {
    const cp = text.codePointAt(i) as number;
    const a = advanceOf(cp);
    // Never before a character of no advance: a mark stays on the line of the letter it marks.
    let at = w + a > limit && a > 0 && i > start ? breakAt(text, start, i, cp, drawn > limit) : -1;
    if (at === i) at = wordBreak(text, start, i, cp, limit);
    if (at >= 0) {
      lines.push(text.slice(start, at));
      start = at;
      w = at === i ? 0 : widthEm(text.slice(at, i));
      drawn = at === i ? 0 : widthEm(withoutHangingSpaces(text.slice(at, i)));
      if (lines.length === maxLines) {
        lines.push(`${withRoomForEllipsis(lines.pop() as string, limit)}…`);
        return { lines, cut: true };
      }
    }
    w += a;
    if (!isHangingSpace(cp) && a > 0) drawn = w;
    i += cp > 0xffff ? 2 : 1;
  }
  if (start < text.length) lines.push(text.slice(start));
  return { lines, cut: false };
}

/** `line` without the spaces at its end (`isHangingSpace`: U+0020, U+3000, …; not a no-break space). */
function withoutHangingSpaces(line: string): string {
  let end = line.length;
  while (end > 0 && isHangingSpace(line.charCodeAt(end - 1))) end--;
  return line.slice(0, end);
}

/** Line advance as a multiple of the size, when the template does not say. */
const LINE_HEIGHT = 1.5;
/** The em box's height as a multiple of the size: the last line's room (catalog/face-template.ts). */
const LAST_LINE = 1.2;
/** Shrinking steps down in this fraction of the template's size. */
const SHRINK_STEP = 0.05;

/** The smallest size a box may shrink to: `minSize`, else 3/4 of `size` but not under 1 mm. */
function minSizeOf(box: FaceText): number {
  return box.minSize ?? Math.min(box.size, Math.max(1, 0.75 * box.size));
}

/**
 * The text's lines and the size they are laid at: `size` when the text fits there, else the
 * largest size in steps of 5 % down to `minSize` at which it fits in the room the box has at
 * `size` (its width, and its height: smaller lines are closer together, so more of them fit).
 * A text that fits nowhere is cut with … at `minSize`. Text that fits at `size` — nearly every
 * box — is wrapped once, as without shrinking.
 */
function fitBox(box: FaceText, text: string): { lines: string[]; size: number; cut: boolean } {
  const maxLines = box.maxLines ?? 1;
  const first = wrap(text, box.width / box.size, maxLines);
  if (!first.cut) return { lines: first.lines, size: box.size, cut: false };
  const lineHeight = box.lineHeight ?? LINE_HEIGHT;
  const height = box.size * ((maxLines - 1) * lineHeight + LAST_LINE);
  const min = minSizeOf(box);
  let last = first;
  let size = box.size;
  for (let step = 1; size > min; step++) {
    size = Math.max(min, box.size * (1 - step * SHRINK_STEP));
    // Lines whose em boxes lie inside the box's height at this size; 1e-9 keeps a line that
    // fits exactly from being lost to rounding.
    const lines = Math.floor((height / size - LAST_LINE) / lineHeight + 1e-9) + 1;
    last = wrap(text, box.width / size, lines);
    if (!last.cut) break;
  }
  return { lines: last.lines, size, cut: last.cut };
}

/** Width of the spaces at the end of `text` at `size`, mm: they hang past the box and draw nothing. */
function hangingWidth(text: string, size: number): number {
  let hung = 0;
  for (let i = text.length - 1; i >= 0 && isHangingSpace(text.charCodeAt(i)); i--) {
    hung += advanceOf(text.charCodeAt(i)) * size;
  }
  return hung;
}

/**
 * Width of what a laid line draws, mm: its `width` without the spaces at its end (a CHAR(n)
 * value's padding, the space a line wraps at), which hang past the box. What a centred line is
 * centred on, and the extent of its text object on the OFD page.
 */
export function drawnWidth(line: LaidLine): number {
  return line.width - hangingWidth(line.text, line.size);
}

/** A box's text laid out: its lines, and whether it was cut (its overflow entry). */
interface LaidBox {
  lines: LaidLine[];
  overflow: string | undefined;
}

function layBox(box: FaceText, index: number, text: string): LaidBox {
  const { lines: parts, size, cut } = fitBox(box, text);
  const lineHeight = (box.lineHeight ?? LINE_HEIGHT) * size;
  const lines: LaidLine[] = [];
  for (let n = 0; n < parts.length; n++) {
    const part = parts[n] as string;
    const deltas: number[] = [];
    let width = 0;
    // The spaces before what the line draws last (padding before a closing mark) advance no
    // further than the box's edge: the wrap keeps such a mark on the line (避头) and lets it hang,
    // and drawn after the padding it stood as far past the box as the padding ran (`（王海`, 60
    // spaces and `）` set it 9 em past a 24 em box). So it hangs at the edge, as a mark after text
    // does. Only a mark or a zero-advance character follows spaces past the room (wrap breaks
    // before anything else); the spaces at the line's end hang as they are (hangingWidth).
    const drawnEnd = withoutHangingSpaces(part).length;
    // The advance of the line's last glyph that draws, when it is closing punctuation (避头).
    let closing = 0;
    // DeltaX: the advance after every glyph but the last.
    for (let i = 0; i < part.length; ) {
      const cp = part.codePointAt(i) as number;
      let a = advanceOf(cp) * size;
      if (i < drawnEnd && isHangingSpace(cp) && width + a > box.width + 1e-9)
        a = Math.max(0, box.width - width);
      if (i < drawnEnd && a > 0) closing = noLineStart(cp) ? a : 0;
      i += cp > 0xffff ? 2 : 1;
      if (i < part.length) deltas.push(a);
      width += a;
    }
    // A centred line is centred on what it draws: the spaces at its end hang past the box and
    // draw nothing (wordBreak), and a CHAR(n) value's padding (`王海` and 18 spaces) counted in
    // its width drew it off-centre, left of the box when the padding was wider than the room.
    const drawn = width - hangingWidth(part, size);
    // Nor is a closing mark that hangs past the box counted (CSS Text's hanging-punctuation: a
    // hanging glyph is not measured for alignment): centred with it, a full line started half
    // the mark's width left of its box.
    const measured = drawn > box.width + 1e-9 ? Math.max(box.width, drawn - closing) : drawn;
    const top = box.y + n * lineHeight;
    // Frozen, every line alike: a template's fixed lines are shared between layouts, and lines of
    // one shape keep the code that reads them (the OFD page, the picture) on one fast path. Their
    // advances are frozen only where shared (fixedOf): V8 freezes an array of doubles by boxing
    // each number, a heap object per glyph of every license.
    lines.push(
      Object.freeze({
        x: box.align === 'center' ? box.x + (box.width - measured) / 2 : box.x,
        top,
        // Baseline at 0.88 em below the top of the em box: where CJK fonts put it.
        baseline: top + size * 0.88,
        size,
        font: box.font ?? '宋体',
        color: box.color ?? '#000000',
        text: part,
        deltas,
        width,
      }),
    );
  }
  return { lines, overflow: cut ? `texts[${index}] (${box.field ?? 'text'})` : undefined };
}

/**
 * Per template (by identity: a catalog's templates live as long as it), its fixed texts laid out
 * once — the title and captions every license of the type shows the same — frozen, as every
 * layout of the template shares them.
 */
const fixedBoxes = new WeakMap<FaceTemplate, (LaidBox | undefined)[]>();

function fixedOf(template: FaceTemplate): (LaidBox | undefined)[] {
  let fixed = fixedBoxes.get(template);
  if (!fixed) {
    fixed = template.texts.map((box, index) => {
      if (box.text === undefined) return undefined;
      const laid = layBox(box, index, drawable(box.text));
      for (const line of laid.lines) Object.freeze(line.deltas);
      return { lines: Object.freeze(laid.lines) as LaidLine[], overflow: laid.overflow };
    });
    fixedBoxes.set(template, fixed);
  }
  return fixed;
}

export function layoutFace(template: FaceTemplate, license: License, qrContent?: string): FaceLayout {
  const lines: LaidLine[] = [];
  const overflows: string[] = [];
  const fixed = fixedOf(template);
  const boxes = template.texts;
  for (let index = 0; index < boxes.length; index++) {
    const box = boxes[index] as FaceText;
    const laid = fixed[index] ?? layBox(box, index, drawable(boxText(box, license)));
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
