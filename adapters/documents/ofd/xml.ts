/** XML text for OFD parts: escaping and the number form OFD coordinates use. */

export const OFD_NS = 'http://www.ofdspec.org/2016';
export const XML_DECL = '<?xml version="1.0" encoding="UTF-8"?>\n';

/** XML 1.0 forbids control characters other than tab, LF and CR, even as references. */
function allowedInXml(ch: string): boolean {
  const cp = ch.codePointAt(0) as number;
  return cp >= 0x20 || cp === 0x09 || cp === 0x0a || cp === 0x0d;
}

// Anything esc() would change: most face text has none, and is returned as it is.
// biome-ignore lint/suspicious/noControlCharactersInRegex: finds the control characters XML 1.0 forbids.
const NEEDS_ESCAPE = /[\u0000-\u0008\u000b\u000c\u000e-\u001f&<>"]/;

export function esc(text: string): string {
  if (!NEEDS_ESCAPE.test(text)) return text;
  return [...text]
    .filter(allowedInXml)
    .join('')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;');
}

/** A coordinate in mm: at most 3 decimals (a micrometre), no trailing zeros. */
export function num(v: number): string {
  const r = Math.round(v * 1000) / 1000;
  return Object.is(r, -0) ? '0' : String(r);
}

/** `#RRGGBB` → OFD's `R G B`. */
export function rgb(hex: string): string {
  const m = /^#([0-9a-fA-F]{2})([0-9a-fA-F]{2})([0-9a-fA-F]{2})$/.exec(hex);
  if (!m) return '0 0 0';
  return [m[1], m[2], m[3]].map((h) => Number.parseInt(h as string, 16)).join(' ');
}
