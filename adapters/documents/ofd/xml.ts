/** XML text for OFD parts: escaping and the number form OFD coordinates use. */

export const OFD_NS = 'http://www.ofdspec.org/2016';
export const XML_DECL = '<?xml version="1.0" encoding="UTF-8"?>\n';

/**
 * XML 1.0 (§2.2 Char) forbids control characters other than tab, LF and CR, and U+FFFE and
 * U+FFFF, even as references. (A lone surrogate half becomes U+FFFD when the text is encoded.)
 */
function allowedInXml(ch: string): boolean {
  const cp = ch.codePointAt(0) as number;
  if (cp === 0xfffe || cp === 0xffff) return false;
  return cp >= 0x20 || cp === 0x09 || cp === 0x0a || cp === 0x0d;
}

// Anything esc() would change: most face text has none, and is returned as it is.
// biome-ignore lint/suspicious/noControlCharactersInRegex: finds the characters XML 1.0 forbids.
const NEEDS_ESCAPE = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff&<>"]/;

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

// Texts of numbers and colours already written: a template's positions, sizes, advances and
// colours come back in every license's page. Started over past a few thousand.
const numTexts = new Map<number, string>();
const rgbTexts = new Map<string, string>();
const MEMO = 4096;

/** A coordinate in mm: at most 3 decimals (a micrometre), no trailing zeros. */
export function num(v: number): string {
  let text = numTexts.get(v);
  if (text === undefined) {
    const r = Math.round(v * 1000) / 1000;
    text = Object.is(r, -0) ? '0' : String(r);
    if (numTexts.size >= MEMO) numTexts.clear();
    numTexts.set(v, text);
  }
  return text;
}

/** `#RRGGBB` → OFD's `R G B`. */
export function rgb(hex: string): string {
  let text = rgbTexts.get(hex);
  if (text === undefined) {
    const m = /^#([0-9a-fA-F]{2})([0-9a-fA-F]{2})([0-9a-fA-F]{2})$/.exec(hex);
    text = m ? [m[1], m[2], m[3]].map((h) => Number.parseInt(h as string, 16)).join(' ') : '0 0 0';
    if (rgbTexts.size >= MEMO) rgbTexts.clear();
    rgbTexts.set(hex, text);
  }
  return text;
}
