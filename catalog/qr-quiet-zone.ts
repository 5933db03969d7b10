/**
 * The face's QR code and its quiet zone (ISO/IEC 18004): 4 modules of blank on every side, for a
 * reader to find the code's finder patterns. A text box, the border's line or the seal in it (or
 * on the code) leaves a code in every license file that a phone may not read, however well the
 * rest prints. The module is worked out as the layout draws the code: its box over the symbol's
 * 17 + 4 × version modules (adapters/documents/ofd/ofd-package.ts), the version the smallest at
 * level M that holds the content (adapters/documents/face/qr-codewords.ts).
 */
import type { Problem } from '../core/errors.js';
import type { FaceTemplate } from './face-template.js';
import { problemAt, type YamlSource } from './yaml-source.js';

/**
 * Bytes a version 1–10 symbol holds at level M in byte mode: what the encoder fits (its capacity
 * less the 4-bit mode and the 8-bit length, 16-bit from version 10). Kept here, as the catalog
 * reads no adapter; a test holds it to the encoder.
 */
export const QR_M_BYTES: readonly number[] = [14, 26, 42, 62, 84, 106, 122, 152, 180, 213];

/** The quiet zone's width in modules (ISO/IEC 18004). */
const QUIET_MODULES = 4;

interface Rect {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

// Boxes that only touch share no area: a text box may end where the zone begins.
const EPS = 1e-9;
const overlaps = (a: Rect, b: Rect) =>
  a.x0 < b.x1 - EPS && b.x0 < a.x1 - EPS && a.y0 < b.y1 - EPS && b.y0 < a.y1 - EPS;
const inside = (a: Rect, b: Rect) =>
  a.x0 >= b.x0 - EPS && a.x1 <= b.x1 + EPS && a.y0 >= b.y0 - EPS && a.y1 <= b.y1 + EPS;

const mm = (v: number) => String(Math.round(v * 100) / 100);

/**
 * Problems of what lies in the quiet zone of `face`'s code when it carries `bytes` bytes, each at
 * the line of what intrudes; none when no version holds them (the URL's own check says so).
 */
export function quietZoneProblems(src: YamlSource, face: FaceTemplate, bytes: number): Problem[] {
  const version = QR_M_BYTES.findIndex((capacity) => bytes <= capacity) + 1;
  if (version === 0) return [];
  const q = face.qr;
  const side = 17 + 4 * version;
  const module = q.size / side;
  const quiet = QUIET_MODULES * module;
  const zone = { x0: q.x - quiet, y0: q.y - quiet, x1: q.x + q.size + quiet, y1: q.y + q.size + quiet };
  const where =
    `the QR code's quiet zone, x ${mm(zone.x0)}–${mm(zone.x1)}, y ${mm(zone.y0)}–${mm(zone.y1)} mm ` +
    `(ISO/IEC 18004: ${QUIET_MODULES} modules of ${mm(module)} mm, the ${q.size} mm code over ${side}, ` +
    "the fewest a license's code has): a phone may not find the code";
  const problems: Problem[] = [];
  face.texts.forEach((t, i) => {
    // The box as the page check measures it (face-template.ts): where the text may be drawn.
    const height = t.size * (((t.maxLines ?? 1) - 1) * (t.lineHeight ?? 1.5) + 1.2);
    if (overlaps({ x0: t.x, y0: t.y, x1: t.x + t.width, y1: t.y + height }, zone))
      problems.push(problemAt(src, ['face', 'texts', i], `the text box reaches into ${where}`));
  });
  const b = face.border;
  if (b !== undefined) {
    // The frame's line is stroked on the inset rectangle, half its width to either side.
    const { width: W, height: H } = face.page;
    const half = b.width / 2;
    const outer = { x0: b.inset - half, y0: b.inset - half, x1: W - b.inset + half, y1: H - b.inset + half };
    const inner = { x0: b.inset + half, y0: b.inset + half, x1: W - b.inset - half, y1: H - b.inset - half };
    if (overlaps(zone, outer) && !inside(zone, inner))
      problems.push(problemAt(src, ['face', 'border'], `the border's line runs through ${where}`));
  }
  const s = face.seal;
  if (overlaps({ x0: s.x, y0: s.y, x1: s.x + s.width, y1: s.y + s.height }, zone))
    problems.push(problemAt(src, ['face', 'seal'], `the seal reaches into ${where}`));
  return problems;
}
