/**
 * Where a face's line may break between two characters: Unicode's line breaking (UAX #14) and the
 * Chinese rules (GB/T 15834, W3C clreq) as far as a license face needs them. Between Chinese
 * characters anywhere; never inside a Latin word, a full-width number, a dash or an emoji, beside
 * a no-break space, before a space, a mark or closing punctuation, nor after opening punctuation.
 * The wrap (wrap-lines.ts) asks where the line that ran out may break.
 */
import { advanceOf, isHangingSpace, noLineEnd, noLineStart } from './text-measure.js';

/** ZERO WIDTH SPACE: where a word may break without a space (UAX #14 class ZW), drawn as nothing. */
const ZWSP = 0x200b;

/**
 * Characters that join the ones on each side (UAX #14 class GL, and WJ): the no-break spaces
 * U+00A0, U+2007 (figure) and U+202F (narrow), the word joiner U+2060 and U+FEFF used as one.
 * Text from Word or a web form keeps `第 3 号` or a name's two halves together with them; between
 * Chinese characters, where a line may otherwise break anywhere, a line broke beside one.
 */
function joins(cp: number): boolean {
  return cp === 0xa0 || cp === 0x2007 || cp === 0x202f || cp === 0x2060 || cp === 0xfeff;
}

/**
 * Whether `cp` is part of a word: drawn narrower than an em, and not a space — Latin letters,
 * digits and their punctuation (`Road,`, `91370211MA3C4XYZ0B`, `2024-05-06`). A word goes down to
 * the next line whole; broken wherever the box ran out, `Changjiang Midd` ended one line and
 * `le Road` began the next, and a code was printed in two pieces.
 */
function inWord(cp: number): boolean {
  return !isHangingSpace(cp) && advanceOf(cp) < 1;
}

/** A full-width digit (U+FF10–U+FF19), an em wide: the `fullWidth` transform's, a legacy system's. */
function isFullWidthDigit(cp: number): boolean {
  return cp >= 0xff10 && cp <= 0xff19;
}

/** A sign written before a number and an em wide (half-width ones such as `$` are in its word). */
function isNumberPrefix(cp: number): boolean {
  return cp === 0xffe5 || cp === 0xff04 || cp === 0xffe1 || cp === 0x20ac || cp === 0x2116;
}

/** A digit, half- or full-width. */
function isDigit(cp: number): boolean {
  return (cp >= 0x30 && cp <= 0x39) || isFullWidthDigit(cp);
}

/** A regional indicator: two of them are a flag (🇨🇳). */
function isRegionalIndicator(cp: number): boolean {
  return cp >= 0x1f1e6 && cp <= 0x1f1ff;
}

/** Whether an odd number of regional indicators stands right before `k`: `k` is a flag's second. */
function oddIndicatorsBefore(text: string, start: number, k: number): boolean {
  let odd = false;
  for (let j = k; j > start && isRegionalIndicator(text.codePointAt(previous(text, j)) as number); ) {
    j = previous(text, j);
    odd = !odd;
  }
  return odd;
}

/** Where the code point before `k` starts (a surrogate pair read as one). */
function previous(text: string, k: number): number {
  const low = text.charCodeAt(k - 1);
  return low >= 0xdc00 && low <= 0xdfff && k >= 2 ? k - 2 : k - 1;
}

/**
 * Whether a line of `text` that starts at `start` may break before `k` (start < k < length).
 * Never before a space (it hangs at the line's end instead), a character of no advance (a mark
 * stays on the line of the letter it marks) or closing punctuation (避头). Otherwise the character
 * before decides, a base and the marks on it read as the base (UAX #14 LB9): after a space or a
 * zero-width space a line may break, after a joiner (a no-break space, the word joiner, the
 * zero-width joiner of an emoji sequence: UAX #14 LB8a, LB11, LB12) not, nor before a no-break
 * space (LB12a), nor after opening punctuation (避尾) or a currency sign before its amount, nor
 * inside a word (an apostrophe in it too), a number of full-width digits, a dash or an emoji.
 */
export function mayBreakBefore(text: string, start: number, k: number): boolean {
  const cur = text.codePointAt(k) as number;
  if (advanceOf(cur) === 0 || isHangingSpace(cur) || noLineStart(cur)) return false;
  let prev = -1;
  let at = k;
  while (at > start) {
    at = previous(text, at);
    const c = text.codePointAt(at) as number;
    if (c === ZWSP) return true;
    if (joins(c) || c === 0x200d) return false;
    if (advanceOf(c) > 0) {
      prev = c;
      break;
    }
  }
  // Only marks before it on the line: nothing they could be joined to.
  if (prev < 0) return true;
  if (isHangingSpace(prev)) return true;
  if (joins(cur) || noLineEnd(prev)) return false;
  // An emoji and its skin tone, the two regional indicators of a flag: one picture (LB30a, LB30b).
  if (cur >= 0x1f3fb && cur <= 0x1f3ff) return false;
  if (isRegionalIndicator(cur) && oddIndicatorsBefore(text, start, k)) return false;
  // A currency sign goes with the amount after it (LB25: PR × NU): `￥100` ends no line at `￥`.
  if (isNumberPrefix(prev) && isDigit(cur)) return false;
  // Full-width digits hold together as half-width ones do (UAX #14 LB25: NU × NU): `２０２４`.
  if (isFullWidthDigit(prev) && isFullWidthDigit(cur)) return false;
  // A Chinese dash (破折号, ——) is one mark of two characters: not split (GB/T 15834, UAX #14 LB17).
  if (prev === cur && (cur === 0x2014 || cur === 0x2015)) return false;
  if (prev === APOSTROPHE && inWord(cur) && afterWord(text, start, at)) return false;
  return !(inWord(prev) && inWord(cur));
}

/**
 * U+2019, the apostrophe editors type inside a word (McDonald’s): between two letters it is part
 * of the word (UAX #14 LB19), not a closing quotation mark a line may break after.
 */
const APOSTROPHE = 0x2019;

/** Whether the character before `at`, on the line from `start`, is part of a word. */
function afterWord(text: string, start: number, at: number): boolean {
  return at > start && inWord(text.codePointAt(previous(text, at)) as number);
}

/** Closing punctuation outside a word (`。`, `）`; not `,` in `Road,`): it hangs at a line's end. */
function hangs(cp: number): boolean {
  return noLineStart(cp) && !inWord(cp);
}

/** The last place before `i` where a line starting at `start` may break, or -1 when there is none. */
export function lastBreakBefore(text: string, start: number, i: number): number {
  for (let k = previous(text, i); k > start; k = previous(text, k)) {
    if (mayBreakBefore(text, start, k)) return k;
  }
  return -1;
}

/**
 * Whether what starts at `k` and may not be broken — a word, characters a no-break space joins —
 * is wider than `limit` em: no line holds it whole. Read up to the next place a line may break, a
 * space or closing punctuation (which hangs at a line's end), and no further than `limit`.
 */
export function widerThanLine(text: string, k: number, limit: number): boolean {
  let width = 0;
  for (let j = k; j < text.length; ) {
    const c = text.codePointAt(j) as number;
    if (j > k && (isHangingSpace(c) || hangs(c) || mayBreakBefore(text, k, j))) return false;
    width += advanceOf(c);
    if (width > limit) return true;
    j += c > 0xffff ? 2 : 1;
  }
  return false;
}
