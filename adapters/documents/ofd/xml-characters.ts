/**
 * Whether an XML part of an OFD file is well-formed XML 1.0 by its bytes and characters. The
 * verifier's parser is lenient, and a page is only hashed, never parsed: a part strict readers
 * (expat, libxml2, a browser's DOMParser) refuse makes them refuse the whole file, so it fails
 * verification too, however sound its signature.
 */
import { isUtf8 } from 'node:buffer';

// XML 1.0 §2.2: Char ::= #x9 | #xA | #xD | [#x20-#xD7FF] | [#xE000-#xFFFD] | [#x10000-#x10FFFF].
// biome-ignore lint/suspicious/noControlCharactersInRegex: the production names tab, LF and CR.
const NOT_XML_CHAR = /[^\u0009\u000A\u000D\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u;

/**
 * Offset of the first byte that does not start a well-formed UTF-8 sequence (RFC 3629: no
 * overlong forms, no surrogate halves, nothing past U+10FFFF), or -1.
 */
function firstNonUtf8(bytes: Uint8Array): number {
  for (let i = 0; i < bytes.length; ) {
    const c = bytes[i] as number;
    if (c < 0x80) {
      i++;
      continue;
    }
    const more = c >= 0xc2 && c <= 0xdf ? 1 : c >= 0xe0 && c <= 0xef ? 2 : c >= 0xf0 && c <= 0xf4 ? 3 : 0;
    if (more === 0) return i;
    const lo = c === 0xe0 ? 0xa0 : c === 0xf0 ? 0x90 : 0x80;
    const hi = c === 0xed ? 0x9f : c === 0xf4 ? 0x8f : 0xbf;
    const second = bytes[i + 1];
    if (second === undefined || second < lo || second > hi) return i;
    for (let k = 2; k <= more; k++) {
      const next = bytes[i + k];
      if (next === undefined || next < 0x80 || next > 0xbf) return i;
    }
    i += more + 1;
  }
  return -1;
}

/**
 * Why the XML part `name` is not well-formed XML 1.0 by its bytes or characters, or null. OFD's
 * XML parts are UTF-8 (GB/T 33190): bytes that are not (GBK text from a legacy system) are a fatal
 * error to an XML reader, not replacement characters.
 */
export function xmlCharProblem(name: string, bytes: Uint8Array): string | null {
  if (!isUtf8(bytes)) {
    return `${name} is not well-formed XML 1.0: its bytes are not UTF-8 from byte offset ${firstNonUtf8(bytes)}, which strict readers refuse`;
  }
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8');
  const bad = NOT_XML_CHAR.exec(text);
  if (!bad) return null;
  const cp = (bad[0].codePointAt(0) as number).toString(16).toUpperCase().padStart(4, '0');
  // In bytes, as above: the regex index counts UTF-16 units, a third of the bytes of Chinese text.
  const at = Buffer.byteLength(text.slice(0, bad.index), 'utf8');
  return `${name} is not well-formed XML 1.0: character U+${cp} at byte offset ${at}, which strict readers refuse`;
}
