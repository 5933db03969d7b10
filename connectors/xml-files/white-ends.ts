/**
 * White space at the ends of a value or a file, found by walking in from each end. A regular
 * expression anchored at the end (`/[ \t\r\n]+$/`, `/ +$/`, `/\s+$/`) is tried at every position
 * of a run of white space in the middle of the text and scans each time to the run's end: time
 * quadratic in the run, ~10 s for a value of 80,000 spaces between two letters, and an export
 * holding such a value (a fixed-width column of a blank memo, padding pasted in) stalled the read.
 * These take time linear in the white space at the ends and never look at the middle.
 */

/** XML white space (XML 1.0 §2.3 S): space, tab, CR and LF; not U+3000 or U+00A0, which are data. */
function isXmlWhite(code: number): boolean {
  return code === 0x20 || code === 0x9 || code === 0xa || code === 0xd;
}

/**
 * Where the XML white space at the start of `text` ends and the XML white space at its end begins:
 * `text.slice(start, end)` is the text without it. A text of white space only is all start:
 * `start` and `end` are both its length.
 */
export function xmlWhiteEnds(text: string): { start: number; end: number } {
  let start = 0;
  while (start < text.length && isXmlWhite(text.charCodeAt(start))) start++;
  let end = text.length;
  while (end > start && isXmlWhite(text.charCodeAt(end - 1))) end--;
  return { start, end };
}

/** `text` without XML white space at either end (what `/^[ \t\r\n]+|[ \t\r\n]+$/g` took off). */
export function withoutXmlWhiteAtEnds(text: string): string {
  const { start, end } = xmlWhiteEnds(text);
  return start === 0 && end === text.length ? text : text.slice(start, end);
}

/** `text` without XML white space at its end (what `/[ \t\r\n]+$/` took off). */
export function withoutXmlWhiteAtEnd(text: string): string {
  let end = text.length;
  while (end > 0 && isXmlWhite(text.charCodeAt(end - 1))) end--;
  return end === text.length ? text : text.slice(0, end);
}

/** `text` without the spaces (U+0020 only, as CHAR padding) at its end (what `/ +$/` took off). */
export function withoutSpacesAtEnd(text: string): string {
  let end = text.length;
  while (end > 0 && text.charCodeAt(end - 1) === 0x20) end--;
  return end === text.length ? text : text.slice(0, end);
}

/** White space as character references (`\n` as `&#10;`), one a UTF-16 unit. */
function asReferences(white: string): string {
  let out = '';
  for (let i = 0; i < white.length; i++) out += `&#${white.charCodeAt(i)};`;
  return out;
}

/**
 * `text` with the XML white space at either end written as character references (what
 * `/^[ \t\r\n]+|[ \t\r\n]+$/g` with each character of a match as `&#N;` gave): a CDATA section's
 * content (records.ts), whose white space at its ends is data that no `trim` may take for layout.
 */
export function withXmlWhiteAtEndsEscaped(text: string): string {
  const { start, end } = xmlWhiteEnds(text);
  if (start === 0 && end === text.length) return text;
  return asReferences(text.slice(0, start)) + text.slice(start, end) + asReferences(text.slice(end));
}
