/**
 * Where a face template's boxes lie, against the page and against each other: a text box's height
 * as the layout takes it (lay-box.ts), a box that reaches past the page's edge, and a box whose
 * later lines reach into a box below it. Checked when the catalog loads (face-template.ts
 * faceProblems), so a template that would draw off the page or over another box's text fails at
 * its line instead of on every sealed license.
 */
import type { FaceTemplate, FaceText } from './face-template.js';

/** A length in mm (or em) as a message shows it: at most two decimals. */
export const mmText = (v: number) => String(Math.round(v * 100) / 100);

/** A box's height, mm: `maxLines` lines, the last of them 1.2 em tall (lay-box.ts). */
export function boxHeight(t: FaceText): number {
  return t.size * (((t.maxLines ?? 1) - 1) * (t.lineHeight ?? 1.5) + 1.2);
}

/**
 * Why `what` (a box at x, y of width × height mm) reaches past the page's right or bottom edge, or
 * null. A box may end exactly at the edge: a billionth of a mm spares it the sums' rounding.
 */
export function pageEdgeProblem(
  page: FaceTemplate['page'],
  what: string,
  b: { x: number; y: number; width: number; height: number },
): string | null {
  const off = b.x + b.width > page.width + 1e-9 || b.y + b.height > page.height + 1e-9;
  return off ? `${what} reaches past the ${page.width} × ${page.height} mm page` : null;
}

/**
 * Boxes `i` whose later lines (`maxLines` past the first) reach into a box below it, one message
 * for each box reached, at box `i`. A value that takes those lines (经营场所, a list of items) was
 * drawn over the lower box's text on the sealed license: the template loaded, and every license
 * with a long enough value showed it. Only the later lines count, and only boxes whose top is
 * lower than the upper box's: a caption box wider than its text shares its row with the value
 * beside it by design. Boxes side by side, or that only touch, share nothing.
 */
export function linesOverlapProblems(texts: readonly FaceText[]): { i: number; message: string }[] {
  const EPS = 1e-9;
  const found: { i: number; message: string }[] = [];
  texts.forEach((a, i) => {
    const lines = a.maxLines ?? 1;
    const later = a.y + a.size * (a.lineHeight ?? 1.5);
    const bottom = a.y + boxHeight(a);
    texts.forEach((b, j) => {
      const beside = b.x >= a.x + a.width - EPS || a.x >= b.x + b.width - EPS;
      if (lines === 1 || j === i || b.y <= a.y + EPS || beside) return;
      if (b.y >= bottom - EPS || b.y + boxHeight(b) <= later + EPS) return;
      found.push({
        i,
        message: `its ${lines} line(s) of ${a.size} mm reach down to ${mmText(bottom)} mm, past the top of face.texts.${j} (${b.field ?? b.text}) at ${b.y} mm: a value that takes them would be drawn over that box's text. Move that box down to ${mmText(bottom)} mm, or lower \`maxLines\``,
      });
    });
  });
  return found;
}
