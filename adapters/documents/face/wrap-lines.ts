/**
 * Breaking a box's text into lines of its width: between Chinese characters or at a space, Latin
 * words whole, closing punctuation kept off a line's start (避头), spaces hanging at a line's end;
 * the last line cut with … when text remains.
 */
import { cutWithEllipsis } from './ellipsis.js';
import { lastBreakBefore, mayBreakBefore, widerThanLine } from './line-breaks.js';
import {
  advanceOf,
  isBlankAtEnd,
  isHangingSpace,
  noLineStart,
  widthEm,
  withoutHangingSpaces,
} from './text-measure.js';

/**
 * Where a line that `cp` (at `i`) would take past its room breaks, or -1 to keep `cp` on it.
 * A space stays on its line, hanging past the box (it draws nothing), so no line starts with one;
 * so does the blank at the text's end (from `blankTail`), no-break spaces there too.
 * Closing punctuation may not start a line (避头): one such character hangs past the box. A second
 * (`hanging`: the line is past its room already) would hang further — a run of 。。。 or ...... hung
 * whole ran a line across the page and off it, reported as no overflow — so the run goes down with
 * the last character before it that may start a line (the line then stays inside the box), or,
 * when the run is all the line holds after its start, breaks where it is. Past its room means
 * what the line draws: spaces at its end (a CHAR(n) value's padding) hang and are not counted.
 * Anything else breaks before `cp` where a line may break there (line-breaks.ts), else at the last
 * place before it where one may: a word, or characters a no-break space joins, go down to the next
 * line whole. What starts the line, or is longer than a whole line (`limit` em), is broken at `i`:
 * moved down whole it would leave the line before it short and be broken all the same.
 */
function breakAt(
  text: string,
  start: number,
  i: number,
  cp: number,
  hanging: boolean,
  limit: number,
  blankTail: number,
): number {
  if (isHangingSpace(cp) || i >= blankTail) return -1;
  if (noLineStart(cp)) {
    if (!hanging) return -1;
    const last = lastBreakBefore(text, start, i);
    return last > start ? last : lastStartBefore(text, start, i);
  }
  if (mayBreakBefore(text, start, i)) return i;
  const k = lastBreakBefore(text, start, i);
  return k > start && !widerThanLine(text, k, limit)
    ? k
    : insideWord(text, start, Math.max(k, start), i, limit);
}

/**
 * Where a word wider than a line (or that starts it) is broken, the line from `start` having run
 * out at `i`: after the last `/`, `?`, `&`, `=`, `#` or `-` in it past `from` (a web address's parts, UAX #14
 * SY and HY, where printed addresses are broken), when the line holds at least half its room up to
 * there; else at `i`. Broken where the line ran out, `…/licen` ended one line and `se/verify…` began
 * the next, and an address's identifier was printed in two pieces.
 */
function insideWord(text: string, start: number, from: number, i: number, limit: number): number {
  for (let p = i - 1; p > from; p--) {
    const c = text.charCodeAt(p - 1);
    if (c !== 0x2f && c !== 0x3f && c !== 0x26 && c !== 0x3d && c !== 0x23 && c !== 0x2d) continue;
    const next = text.codePointAt(p) as number;
    if (advanceOf(next) === 0 || noLineStart(next) || isHangingSpace(next)) continue;
    return widthEm(text.slice(start, p)) >= limit / 2 ? p : i;
  }
  return i;
}

/**
 * The last character before `i` that may start a line at all — not a space, a mark or closing
 * punctuation — for a run of closing marks after a word that is all its line holds: the run goes
 * down with the word's last letter rather than start the next line (避头 over keeping a word
 * whole). `i` when there is none: the run is all the line holds after its start.
 */
function lastStartBefore(text: string, start: number, i: number): number {
  let last = i;
  for (let k = start; k < i; ) {
    const c = text.codePointAt(k) as number;
    if (k > start && !isHangingSpace(c) && advanceOf(c) > 0 && !noLineStart(c)) last = k;
    k += c > 0xffff ? 2 : 1;
  }
  return last;
}

/**
 * Splits text into lines of at most `maxEm` em; the last line is cut with … when text remains.
 * Read by code point and cut into lines by slicing: no string per character (a face has a few
 * hundred of them, in every license file).
 */
export function wrap(text: string, maxEm: number, maxLines: number): { lines: string[]; cut: boolean } {
  const lines: string[] = [];
  const limit = maxEm + 1e-9;
  let start = 0;
  let w = 0;
  // The line's width up to its last character that draws: the spaces after it hang past the box
  // (breakAt). Counted, a value's padding past the room made the closing mark after it (`、` of
  // a list, `）`) a second hanging mark, sent down with the last space: a line started with one.
  let drawn = 0;
  // Where the blank at the text's end starts: no-break spaces there join nothing after them, and
  // hang past the box as spaces do (a value's trailing `&nbsp;` made a fitting value shrink or cut).
  let blankTail = text.length;
  while (blankTail > 0 && isBlankAtEnd(text.charCodeAt(blankTail - 1))) blankTail--;
  for (let i = 0; i < text.length; ) {
    const cp = text.codePointAt(i) as number;
    const a = advanceOf(cp);
    // Never before a character of no advance: a mark stays on the line of the letter it marks.
    const at =
      w + a > limit && a > 0 && i > start ? breakAt(text, start, i, cp, drawn > limit, limit, blankTail) : -1;
    if (at >= 0) {
      lines.push(text.slice(start, at));
      if (lines.length === maxLines) {
        return { lines: cutWithEllipsis(lines, text.slice(start, i), limit), cut: true };
      }
      start = at;
      w = at === i ? 0 : widthEm(text.slice(at, i));
      drawn = at === i ? 0 : widthEm(withoutHangingSpaces(text.slice(at, i)));
    }
    w += a;
    if (!isBlankAtEnd(cp) && a > 0) drawn = w;
    i += cp > 0xffff ? 2 : 1;
  }
  if (start < text.length) lines.push(text.slice(start));
  return { lines, cut: false };
}
