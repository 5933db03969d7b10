/** Cutting a box's last line for the ellipsis that says its text goes on (wrap-lines.ts). */
import { advanceOf, isHangingSpace } from './text-measure.js';

/**
 * Whether `cp` draws blank at a line's end: a space that hangs there (`isHangingSpace`), a
 * no-break space (U+00A0, U+2007, U+202F), which draws a blank as wide as a glyph, or a zero-width
 * space, word joiner or U+FEFF, which draw nothing.
 */
function isBlank(cp: number): boolean {
  return (
    isHangingSpace(cp) ||
    cp === 0xa0 ||
    cp === 0x2007 ||
    cp === 0x202f ||
    cp === 0x200b ||
    cp === 0x2060 ||
    cp === 0xfeff
  );
}

/** `line` without the blank at its end (`isBlank`). */
function withoutBlankEnd(line: string): string {
  let end = line.length;
  while (end > 0 && isBlank(line.charCodeAt(end - 1))) end--;
  return line.slice(0, end);
}

/**
 * The longest start of `line`, by code point, that leaves an em for the ellipsis within `limit`.
 * Found in one pass from the start: taken off one code point at a time from the end, with the
 * width summed again each time, it took time quadratic in the line — and spaces hang past the box
 * without limit (wrap-lines.ts breakAt), so `王`, 8,000 spaces, `海` in a one-line box (a padded
 * value in a list, a memo) took ~10 s to lay out. The widths are summed in the same order as
 * `widthEm`.
 */
function roomForEllipsis(line: string, limit: number): string {
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
 * `roomForEllipsis` without the blank at its end (`isBlank`): kept, the ellipsis stood after it,
 * `王海`, a CHAR(n) value's padding and `…` at the box's far edge, as if the text went on there.
 */
export function withRoomForEllipsis(line: string, limit: number): string {
  return withoutBlankEnd(roomForEllipsis(line, limit));
}

/**
 * `lines`, the box's last line among them, cut with … after the last text they draw. `ranOut` is
 * the last line as far as its room went, with what it moved down (a word, text a no-break space
 * joins): when the line draws nothing before it — a right-aligned CHAR(n) code's padding, the
 * code gone down whole — the ellipsis follows as much of it as fits, where after the blank alone
 * it stood at the box's left edge. A last line that is blank still (a run of no-break spaces) is
 * dropped, and the ellipsis ends the line before it: set after the blank, it stood at the left
 * edge, as if the text went on from there, while the text it cut was on the line above. On the
 * first line, padding with no room for any text after it is kept as far as it leaves room.
 */
export function cutWithEllipsis(lines: string[], ranOut: string, limit: number): string[] {
  let line = lines.pop() as string;
  if (withoutBlankEnd(line) === '') line = ranOut;
  let cut = withRoomForEllipsis(line, limit);
  while (cut === '' && lines.length > 0) {
    line = lines.pop() as string;
    cut = withRoomForEllipsis(line, limit);
  }
  // The first line draws nothing before the ellipsis: its padding (a right-aligned CHAR(n) code's)
  // leaves no room for the text after it. The ellipsis follows the padding, where the text begins,
  // as it follows the text when some fits; at the box's left edge it read as if the text began there.
  if (cut === '') cut = roomForEllipsis(line, limit);
  lines.push(`${cut}…`);
  return lines;
}
