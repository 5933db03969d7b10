/**
 * Advances of characters in em: CJK and full-width forms take a full em, Latin letters, digits and
 * half-width punctuation half an em. Both the OFD (per-glyph DeltaX) and the picture of a face
 * place each glyph at these advances, so layout and wrapping never depend on a reader's font.
 */
export function advanceEm(ch: string): number {
  return advanceOf(ch.codePointAt(0) ?? 0);
}

/**
 * Characters that draw no advance of their own: combining marks (é as e + U+0301), drawn over the
 * glyph before them, and default-ignorable ones — variation selectors (葛 + U+E0100, a name's
 * registered variant), zero-width joiners and spaces — drawn as nothing.
 */
const ZERO_ADVANCE = /^[\p{Mn}\p{Me}\p{Default_Ignorable_Code_Point}]$/u;

/** `advanceEm` of a code point: layout reads text by code point, without a string per character. */
export function advanceOf(cp: number): number {
  // Capitals and W, M are wider than digits in every Latin face a reader may substitute.
  if ((cp >= 0x41 && cp <= 0x5a) || cp === 0x6d || cp === 0x77) return 0.62;
  // The soft hyphen draws nothing unless a line breaks at it, and the face breaks no word there
  // (drawable-text.ts drops it): of no width, as the other default-ignorable characters are.
  if (cp < 0x300) return cp === 0xad ? 0 : 0.5;
  // CJK Unified Ideographs, most of a face, without the property lookup below.
  if (cp >= 0x4e00 && cp <= 0x9fff) return 1;
  let a = otherAdvances.get(cp);
  if (a === undefined) {
    a = otherAdvance(cp);
    if (otherAdvances.size >= 4096) otherAdvances.clear();
    otherAdvances.set(cp, a);
  }
  return a;
}

// Advances of the other code points met (punctuation, full-width forms, marks): the property
// lookup made once per code point, not once per glyph of every license.
const otherAdvances = new Map<number, number>();

function otherAdvance(cp: number): number {
  if (ZERO_ADVANCE.test(String.fromCodePoint(cp))) return 0;
  if (cp < 0x1100) return 0.5;
  // Half-width katakana and forms.
  if (cp >= 0xff61 && cp <= 0xffdc) return 0.5;
  return 1;
}

export function widthEm(text: string): number {
  let w = 0;
  for (const ch of text) w += advanceEm(ch);
  return w;
}

/**
 * Characters a line must not start with (Chinese line breaking, 避头): closing punctuation and
 * quotation marks, enumeration commas and the signs that follow a number (％ ‰ ℃) stay at the end
 * of the previous line, one of them overhanging its box (wrap-lines.ts).
 */
export const NO_LINE_START = new Set([...'、，。；：？！）》」』】〕〉］｝〗〙〛｠｣”’…·％‰℃,.;:?!)]}%']);

// The same as code points, for layout's loop over a text.
const noStart = new Set([...NO_LINE_START].map((ch) => ch.codePointAt(0) as number));

/** Whether a line must not start with the code point `cp` (see NO_LINE_START). */
export function noLineStart(cp: number): boolean {
  return noStart.has(cp);
}

/**
 * Characters a line must not end with (Chinese line breaking, 避尾): opening brackets, quotation
 * and title marks go down to the next line with what they open (line-breaks.ts).
 */
export const NO_LINE_END = new Set([...'（「『《〈【〔〖〘〚｟“‘([{［｛｢']);

// The same as code points.
const noEnd = new Set([...NO_LINE_END].map((ch) => ch.codePointAt(0) as number));

/** Whether a line must not end with the code point `cp` (see NO_LINE_END). */
export function noLineEnd(cp: number): boolean {
  return noEnd.has(cp);
}

/**
 * Whether `cp` is a space that hangs past the box at a line's end, drawing nothing, so that no
 * line starts with it: U+0020 and the other space separators a line breaks after but never
 * before (UAX #14 class BA, LB21), the ideographic space U+3000 among them — text keyed in with a
 * Chinese input method, the `fullWidth` transform's space, a legacy system's full-width padding.
 * CSS Text hangs them alike. Not the no-break spaces (U+00A0, U+2007, U+202F: class GL), which
 * join the characters on each side and are laid out as glyphs.
 */
export function isHangingSpace(cp: number): boolean {
  // Asked of every character a box lays out: a Latin letter is answered by two comparisons, a
  // Chinese character by three (the spaces past U+0020 lie in U+1680–U+3000).
  if (cp < 0x1680) return cp === 0x20;
  return (
    cp <= 0x3000 &&
    (cp === 0x3000 || cp === 0x1680 || (cp >= 0x2000 && cp <= 0x200a && cp !== 0x2007) || cp === 0x205f)
  );
}

/** A no-break space: U+00A0, U+2007 (figure), U+202F (narrow). */
export function isNoBreakSpace(cp: number): boolean {
  return cp === 0xa0 || cp === 0x2007 || cp === 0x202f;
}

/**
 * Whether `cp` is blank at a line's end: a space that hangs (`isHangingSpace`), or a no-break
 * space, which joins what stands on each side of it but, with nothing drawn after it on its line
 * (a value's `&nbsp;` or U+00A0 padding at its end), draws nothing either.
 */
export function isBlankAtEnd(cp: number): boolean {
  // Asked of every character the wrap reads (wrap-lines.ts): the blanks past U+00A0 lie in
  // U+1680–U+3000, so a Chinese character or a Latin letter is answered in two or three comparisons
  // (the two tests one after the other made a box's wrap ~20 % slower than before the rule).
  if (cp < 0x1680) return cp === 0x20 || cp === 0xa0;
  return cp <= 0x3000 && (isHangingSpace(cp) || isNoBreakSpace(cp));
}

/** `line` without the blank at its end (`isBlankAtEnd`: U+0020, U+3000, U+00A0, …). */
export function withoutHangingSpaces(line: string): string {
  let end = line.length;
  while (end > 0 && isBlankAtEnd(line.charCodeAt(end - 1))) end--;
  return line.slice(0, end);
}

/** Width of the blank at the end of `text` at `size`, mm: it hangs past the box and draws nothing. */
export function hangingWidth(text: string, size: number): number {
  let hung = 0;
  for (let i = text.length - 1; i >= 0 && isBlankAtEnd(text.charCodeAt(i)); i--) {
    hung += advanceOf(text.charCodeAt(i)) * size;
  }
  return hung;
}
