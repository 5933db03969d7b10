/**
 * A laid-out license face as SVG, in the page's millimetres: the frame, every line of text with
 * each glyph at the x the OFD's DeltaX puts it, the QR code's modules, and the seal's picture in
 * its box. The picture draws the same `FaceLayout` the OFD writer draws, so what a template
 * author sees is where a reader puts each glyph.
 */
import type { FaceLayout } from '../face/layout.js';
import { stampBox } from '../ofd/ofd-signature.js';
import { esc, num } from '../ofd/xml.js';

/** The seal's registered picture (from its SES_Seal) to draw in the seal box. */
export interface SealPicture {
  /** `png`, `jpg`/`jpeg`, or `svg` (as GB/T 38540 names the type). */
  type: string;
  data: Uint8Array;
  /**
   * The size the seal prints at, mm (its GB/T 38540 picture width and height): drawn at it,
   * centred on the template's seal box, as a sealed file's stamp is (`stampBox`). Without it, the
   * picture fills the box.
   */
  widthMm?: number;
  heightMm?: number;
}

const MIME: Record<string, string> = {
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  svg: 'image/svg+xml',
};

/**
 * Families tried after the template's own: an OFD reader substitutes an installed face for a
 * named one, and so does the picture. Heiti-like names fall back to sans faces, the rest to serif.
 */
function fontFamilyList(font: string): string[] {
  const sans = /黑|hei|sans/i.test(font);
  const fallbacks = sans
    ? ['Noto Sans CJK SC', 'Source Han Sans SC', 'WenQuanYi Micro Hei', 'sans-serif']
    : ['Noto Serif CJK SC', 'Source Han Serif SC', 'Noto Sans CJK SC', 'serif'];
  // A quote or comma in the name would split or unquote the list as resvg reads it.
  return [font.replace(/['",]/g, ''), ...fallbacks];
}

const GENERIC = new Set(['serif', 'sans-serif']);

/**
 * The list as CSS: the template's face and the named fallbacks quoted, the generic last one not.
 * No space after the commas: resvg (usvg 0.34) strips a quote only at the very ends of each piece
 * between commas, so `, 'Noto Sans CJK SC'` would be read as `'Noto Sans CJK SC` and match no face.
 */
function fontFamilies(font: string): string {
  return fontFamilyList(font)
    .map((f, i) => (i > 0 && GENERIC.has(f) ? f : `'${f}'`))
    .join(',');
}

/** The seal box's caption when no seal picture is given. */
const SEAL_CAPTION = { font: '宋体', text: '印章' };

const MIME_OF = (seal: SealPicture | null): string | undefined =>
  seal ? MIME[seal.type.toLowerCase()] : undefined;

/**
 * Every text `faceSvg` draws, with its `font-family` attribute as written. An SVG seal picture
 * may draw text of its own: null then, as its fonts are not known here.
 */
export function faceTextRuns(
  layout: FaceLayout,
  seal: SealPicture | null,
): { fontFamily: string; text: string }[] | null {
  const mime = MIME_OF(seal);
  if (mime === 'image/svg+xml') return null;
  const runs = layout.lines.map((line) => ({ fontFamily: fontFamilies(line.font), text: line.text }));
  if (!mime) runs.push({ fontFamily: fontFamilies(SEAL_CAPTION.font), text: SEAL_CAPTION.text });
  return runs;
}

/** Each dark run of a QR row as one rectangle, in module units. */
function qrPath(modules: readonly (readonly boolean[])[]): string {
  let d = '';
  modules.forEach((row, r) => {
    for (let c = 0; c < row.length; ) {
      if (!row[c]) {
        c++;
        continue;
      }
      let end = c;
      while (row[end]) end++;
      d += `M${c} ${r}h${end - c}v1h${c - end}z`;
      c = end;
    }
  });
  return d;
}

/** Where a glyph of a laid line starts: the line's x, then each DeltaX advance in turn. */
export function glyphXs(x: number, deltas: readonly number[]): number[] {
  const xs = [x];
  let at = x;
  for (const d of deltas) {
    at += d;
    xs.push(at);
  }
  return xs;
}

/**
 * The face as an SVG document `widthPx` wide (height in proportion). Without a seal picture the
 * seal box is outlined and captioned, so a template can be checked before any seal exists.
 */
export function faceSvg(layout: FaceLayout, seal: SealPicture | null, widthPx: number): string {
  const { width: W, height: H } = layout.page;
  const heightPx = Math.round((widthPx * H) / W);
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${widthPx}" height="${heightPx}" viewBox="0 0 ${num(W)} ${num(H)}">`,
    `<rect width="${num(W)}" height="${num(H)}" fill="#FFFFFF"/>`,
  ];
  const b = layout.border;
  if (b) {
    out.push(
      `<rect x="${num(b.inset)}" y="${num(b.inset)}" width="${num(W - 2 * b.inset)}" height="${num(H - 2 * b.inset)}" fill="none" stroke="${b.color}" stroke-width="${num(b.width)}"/>`,
    );
  }
  for (const line of layout.lines) {
    // A glyph per code point, as the layout counts them (a surrogate pair is one glyph).
    const xs = glyphXs(line.x, line.deltas).map(num).join(' ');
    out.push(
      `<text x="${xs}" y="${num(line.baseline)}" font-size="${num(line.size)}" font-family="${esc(fontFamilies(line.font))}" fill="${line.color}" xml:space="preserve">${esc(line.text)}</text>`,
    );
  }
  const q = layout.qr;
  const unit = q.size / q.modules.length;
  out.push(
    `<path transform="translate(${num(q.x)} ${num(q.y)}) scale(${num(unit)})" fill="#000000" d="${qrPath(q.modules)}"/>`,
  );
  const mime = MIME_OF(seal);
  const s =
    seal && mime && seal.widthMm !== undefined && seal.heightMm !== undefined
      ? stampBox(layout.seal, { widthMm: seal.widthMm, heightMm: seal.heightMm })
      : layout.seal;
  if (seal && mime) {
    out.push(
      `<image x="${num(s.x)}" y="${num(s.y)}" width="${num(s.width)}" height="${num(s.height)}" preserveAspectRatio="xMidYMid meet" href="data:${mime};base64,${Buffer.from(seal.data).toString('base64')}"/>`,
    );
  } else {
    const caption = Math.min(s.width, s.height) / 6;
    out.push(
      `<rect x="${num(s.x)}" y="${num(s.y)}" width="${num(s.width)}" height="${num(s.height)}" fill="none" stroke="#D00000" stroke-width="0.4" stroke-dasharray="2 1"/>`,
      `<text x="${num(s.x + s.width / 2)}" y="${num(s.y + s.height / 2 + caption / 3)}" font-size="${num(caption)}" font-family="${esc(fontFamilies(SEAL_CAPTION.font))}" fill="#D00000" text-anchor="middle">${SEAL_CAPTION.text}</text>`,
    );
  }
  out.push('</svg>');
  return out.join('\n');
}
