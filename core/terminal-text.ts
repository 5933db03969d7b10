/**
 * Text from outside licbridge (a platform's answer, a source's value, a driver's message) printed
 * to a terminal. A terminal obeys escape sequences inside printed text: an OSC sequence can set
 * the window title or write the clipboard, CSI sequences recolour or move the cursor and can hide
 * or forge earlier lines, and bidi overrides make text read differently from its bytes
 * ("Trojan Source", CVE-2021-42574). Every CLI print of outside text goes through here.
 */

const ESC = 0x1b;
const BEL = 0x07;
/** C1 controls with a string body (ECMA-48 §5.6): DCS, SOS, OSC, PM, APC. */
const C1_STRING = new Set([0x90, 0x98, 0x9d, 0x9e, 0x9f]);
const C1_CSI = 0x9b;
const C1_ST = 0x9c;
/** Second bytes of `ESC x` that open a string ended by ST or BEL: DCS `P`, SOS `X`, OSC `]`, PM `^`, APC `_`. */
const ESC_STRING = new Set(['P', 'X', ']', '^', '_']);

/** Bidi embeddings, overrides, isolates and marks (Unicode TR #9). */
function isBidiControl(c: number): boolean {
  return (
    c === 0x061c ||
    c === 0x200e ||
    c === 0x200f ||
    (c >= 0x202a && c <= 0x202e) ||
    (c >= 0x2066 && c <= 0x2069)
  );
}

/** C0 (but `\n` and `\t`), DEL and C1. */
function isControl(c: number): boolean {
  return (c < 0x20 && c !== 0x0a && c !== 0x09) || (c >= 0x7f && c <= 0x9f);
}

/**
 * `text` with every escape sequence removed whole (CSI, OSC, DCS and the other string controls,
 * in their 7-bit `ESC` and 8-bit C1 forms), and every other control character and bidi control
 * dropped. Newlines and tabs stay. One linear pass: a hostile value cannot make it slow.
 */
export function terminalSafe(text: string): string {
  let out = '';
  let i = 0;
  const n = text.length;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === ESC) {
      i = skipEscape(text, i + 1);
    } else if (c === C1_CSI) {
      i = skipCsi(text, i + 1);
    } else if (C1_STRING.has(c)) {
      i = skipString(text, i + 1);
    } else if (isControl(c) || isBidiControl(c)) {
      i += 1;
    } else {
      // Copy the run of ordinary characters in one slice.
      let j = i + 1;
      while (j < n) {
        const d = text.charCodeAt(j);
        if (d === ESC || isControl(d) || isBidiControl(d)) break;
        j += 1;
      }
      out += text.slice(i, j);
      i = j;
    }
  }
  return out;
}

/**
 * Like `terminalSafe`, and every run of whitespace (newlines too) becomes one space: for table
 * cells and one-line fields. An ideographic space (U+3000) is text, not layout: a name or an
 * address written with one is shown as written.
 */
export function terminalLine(text: string): string {
  return terminalSafe(text)
    .replace(/[^\S\u3000]+/g, ' ')
    .replace(/^ | $/g, '');
}

/**
 * `JSON.stringify` for stdout: the same JSON value, with C1 controls, DEL and bidi controls
 * written as `\uXXXX` escapes (JSON.stringify escapes only C0), so a terminal showing it obeys nothing.
 */
export function terminalJson(value: unknown, indent?: number): string {
  return JSON.stringify(value, null, indent).replace(
    /[\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g,
    (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

/** After `ESC`: the index just past the sequence it opens. */
function skipEscape(text: string, i: number): number {
  if (i >= text.length) return i;
  const ch = text[i] as string;
  if (ch === '[') return skipCsi(text, i + 1);
  if (ESC_STRING.has(ch)) return skipString(text, i + 1);
  const c = text.charCodeAt(i);
  // nF: intermediates (0x20–0x2F) then one final byte, e.g. `ESC ( B`.
  if (c >= 0x20 && c <= 0x2f) {
    let j = i;
    while (j < text.length && text.charCodeAt(j) >= 0x20 && text.charCodeAt(j) <= 0x2f) j += 1;
    return j < text.length && text.charCodeAt(j) >= 0x30 && text.charCodeAt(j) <= 0x7e ? j + 1 : j;
  }
  // Fp/Fe/Fs: a two-byte sequence such as `ESC 7` or `ESC c` (full reset).
  if (c >= 0x30 && c <= 0x7e) return i + 1;
  return i;
}

/** After a CSI introducer: parameters 0x30–0x3F, intermediates 0x20–0x2F, one final byte 0x40–0x7E. */
function skipCsi(text: string, i: number): number {
  let j = i;
  while (j < text.length && text.charCodeAt(j) >= 0x30 && text.charCodeAt(j) <= 0x3f) j += 1;
  while (j < text.length && text.charCodeAt(j) >= 0x20 && text.charCodeAt(j) <= 0x2f) j += 1;
  if (j < text.length && text.charCodeAt(j) >= 0x40 && text.charCodeAt(j) <= 0x7e) j += 1;
  return j;
}

/**
 * After a string introducer (OSC and kin): up to and including its terminator — BEL, `ESC \` or
 * 8-bit ST. An unterminated string runs to the end, as a terminal would swallow it.
 */
function skipString(text: string, i: number): number {
  let j = i;
  while (j < text.length) {
    const c = text.charCodeAt(j);
    if (c === BEL || c === C1_ST) return j + 1;
    // `ESC \` is ST; any other ESC ends the string and starts a sequence of its own.
    if (c === ESC) return text[j + 1] === '\\' ? j + 2 : j;
    j += 1;
  }
  return j;
}
