/**
 * Text read as if typed in half-width characters: a platform, a gateway or legacy data may give an
 * ID or phone number in full-width digits (３７０２…), which no rule written for ASCII finds. Its
 * own module so that both the digit rule of text from outside (./scrub.ts) and the masking of
 * numbers by their shapes (./personal-shapes.ts), which scrubPersonal applies too, use it without
 * importing each other.
 */

// Full-width ASCII (U+FF01–U+FF5E) and the ideographic space. One UTF-16 unit each, as their
// half-width forms, so the two texts match position for position.
const FULL_WIDTH = /[\uFF01-\uFF5E\u3000]/;
const FULL_WIDTH_ALL = new RegExp(FULL_WIDTH.source, 'g');

/**
 * `cut(text)` applied as if `text`'s full-width characters were half-width: `cut` replaces
 * characters by `*` without moving any, and those are starred where they stand in `text`.
 */
export function inHalfWidth(text: string, cut: (half: string) => string): string {
  if (!FULL_WIDTH.test(text)) return cut(text);
  const half = text.replace(FULL_WIDTH_ALL, (ch) =>
    ch === '\u3000' ? ' ' : String.fromCharCode(ch.charCodeAt(0) - 0xfee0),
  );
  const masked = cut(half);
  if (masked === half) return text;
  let out = '';
  for (let i = 0; i < text.length; i++) out += masked[i] === '*' && half[i] !== '*' ? '*' : text[i];
  return out;
}
