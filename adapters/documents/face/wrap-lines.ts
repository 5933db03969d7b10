/**
 * Breaking a box's text into lines of its width: between Chinese characters or at a space, Latin
 * words whole, closing punctuation kept off a line's start (避头), spaces hanging at a line's end;
 * the last line cut with … when text remains.
 */
import { withRoomForEllipsis } from './ellipsis.js';
import { advanceOf, isHangingSpace, noLineStart, widthEm, withoutHangingSpaces } from './text-measure.js';

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
