/**
 * Laying out a license face from its template: each text box resolved to lines of glyphs at
 * fixed positions, the seal's box, the QR code's modules. The OFD writer and the face picture
 * both draw from this one layout.
 */
import type { License } from '../../../catalog/license.js';
import type { FaceTemplate, FaceText } from './face-template.js';
import { qrCode } from './qr-code.js';
import { advanceEm, NO_LINE_START, widthEm } from './text-measure.js';

export interface LaidLine {
  /** Left of the first glyph, mm. */
  x: number;
  /** Baseline, mm. */
  baseline: number;
  /** Top of the line box, mm. */
  top: number;
  size: number;
  font: string;
  color: string;
  text: string;
  /** Advance after each glyph but the last, mm (OFD DeltaX). */
  deltas: number[];
  /** Width of the laid text, mm. */
  width: number;
}

export interface FaceLayout {
  page: { width: number; height: number };
  border: FaceTemplate['border'];
  lines: LaidLine[];
  seal: FaceTemplate['seal'];
  qr: { x: number; y: number; size: number; content: string; modules: boolean[][] };
  /** Text boxes whose value did not fit their lines (cut with …). */
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
    if (v === null || typeof v !== 'object') return undefined;
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

/** The text a box shows for this license. */
export function boxText(box: FaceText, license: License): string {
  if (box.text !== undefined) return box.text;
  const raw = valueAt(license, box.field ?? '');
  let value: string;
  if (box.format === 'date') value = dateText(raw, box.field);
  else if (Array.isArray(raw)) value = raw.map(String).join(box.join ?? '、');
  else value = raw === undefined || raw === null ? '' : String(raw);
  return `${box.prefix ?? ''}${value}`;
}

/**
 * Characters XML 1.0 (§2.2 Char) allows nowhere — C0 controls but tab, LF and CR, U+FFFE, U+FFFF,
 * and surrogate halves without their partner — so an OFD page holding one is not well-formed and
 * strict readers refuse the whole file. The input checks of mappings stop controls and broken
 * surrogates, not U+FFFE/U+FFFF; none of them is a glyph. Removed before wrapping, so the text
 * drawn and its advances (DeltaX) agree.
 */
const NOT_DRAWABLE =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: finds the characters XML 1.0 forbids.
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** Splits text into lines of at most `maxEm` em; the last line is cut with … when text remains. */
function wrap(text: string, maxEm: number, maxLines: number): { lines: string[]; cut: boolean } {
  const lines: string[] = [];
  let line = '';
  let w = 0;
  const chars = [...text];
  for (let i = 0; i < chars.length; i++) {
    const ch = chars[i] as string;
    const a = advanceEm(ch);
    if (w + a > maxEm + 1e-9 && line !== '' && !NO_LINE_START.has(ch)) {
      lines.push(line);
      line = '';
      w = 0;
      if (lines.length === maxLines) {
        // Cut the last line to make room for the ellipsis.
        let last = lines.pop() as string;
        while (last !== '' && widthEm(last) + 1 > maxEm + 1e-9) last = [...last].slice(0, -1).join('');
        lines.push(`${last}…`);
        return { lines, cut: true };
      }
    }
    line += ch;
    w += a;
  }
  if (line !== '') lines.push(line);
  return { lines, cut: false };
}

export function layoutFace(template: FaceTemplate, license: License, qrContent?: string): FaceLayout {
  const lines: LaidLine[] = [];
  const overflows: string[] = [];
  template.texts.forEach((box, index) => {
    const text = boxText(box, license).replace(NOT_DRAWABLE, '');
    const lineHeight = (box.lineHeight ?? 1.5) * box.size;
    const { lines: parts, cut } = wrap(text, box.width / box.size, box.maxLines ?? 1);
    if (cut) overflows.push(`texts[${index}] (${box.field ?? 'text'})`);
    parts.forEach((part, n) => {
      const advances: number[] = [];
      let width = 0;
      for (const c of part) {
        const a = advanceEm(c) * box.size;
        advances.push(a);
        width += a;
      }
      const top = box.y + n * lineHeight;
      lines.push({
        x: box.align === 'center' ? box.x + (box.width - width) / 2 : box.x,
        top,
        // Baseline at 0.88 em below the top of the em box: where CJK fonts put it.
        baseline: top + box.size * 0.88,
        size: box.size,
        font: box.font ?? '宋体',
        color: box.color ?? '#000000',
        text: part,
        deltas: advances.slice(0, -1),
        width,
      });
    });
  });
  const content =
    qrContent ??
    (template.qr.url
      ? template.qr.url.replace('{identifier}', encodeURIComponent(license.identifier))
      : license.identifier);
  // Error correction M: the code survives a fold or a smudge on a printout.
  const modules = qrCode(content);
  return {
    page: template.page,
    border: template.border,
    lines,
    seal: template.seal,
    qr: { x: template.qr.x, y: template.qr.y, size: template.qr.size, content, modules },
    overflows,
  };
}
