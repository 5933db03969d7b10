/** Cutting a box's last line for the ellipsis that says its text goes on (wrap-lines.ts). */
import { advanceOf, withoutHangingSpaces } from './text-measure.js';

/**
 * The longest start of `line`, by code point, that leaves an em for the ellipsis within `limit`.
 * Found in one pass from the start: taken off one code point at a time from the end, with the
 * width summed again each time, it took time quadratic in the line — and spaces hang past the box
 * without limit (wrap-lines.ts breakAt), so `王`, 8,000 spaces, `海` in a one-line box (a padded value in a
 * list, a memo) took ~10 s to lay out. The widths are summed in the same order as `widthEm`.
 * The spaces at the end of that start go (`isHangingSpace`): kept, the ellipsis stood after them,
 * `王海`, a CHAR(n) value's padding and `…` at the box's far edge, as if the text went on there.
 */
export function withRoomForEllipsis(line: string, limit: number): string {
  let w = 0;
  let end = 0;
  for (let i = 0; i < line.length; ) {
    const cp = line.codePointAt(i) as number;
    w += advanceOf(cp);
    if (w + 1 > limit) break;
    i += cp > 0xffff ? 2 : 1;
    end = i;
  }
  return withoutHangingSpaces(line.slice(0, end));
}
