/**
 * The size a box's text is laid at: its template's `size`, or smaller down to `minSize` when the
 * text does not fit the box there (docs/ofd.md, `minSize`).
 */
import type { FaceText } from './face-template.js';
import { wrap } from './wrap-lines.js';

/** Line advance as a multiple of the size, when the template does not say. */
export const LINE_HEIGHT = 1.5;
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
export function fitBox(box: FaceText, text: string): { lines: string[]; size: number; cut: boolean } {
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
