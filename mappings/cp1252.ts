/**
 * The bytes behind text a latin1 connection produced. MySQL's and MariaDB's `latin1` is Windows-1252,
 * not ISO-8859-1: bytes 0x80–0x9F arrive as the 27 cp1252 characters (0x86 → U+2020 `†`), the five
 * bytes cp1252 leaves undefined (0x81 0x8D 0x8F 0x90 0x9D) as U+0081 … U+009D. A true ISO-8859-1
 * decode gives U+0080 … U+009F for all of them. Both invert here: a repair that only took code
 * units ≤ U+00FF as bytes passed `†`-bearing mojibake on as "real text" and published it garbled.
 * (The source-level repair, connectors/repair/charset.ts, holds the same table; layers keep their own.)
 */

// WHATWG/Unicode cp1252 table, bytes 0x80–0x9F that have a character.
const CP1252_HIGH: Readonly<Record<number, number>> = {
  8364: 0x80,
  8218: 0x82,
  402: 0x83,
  8222: 0x84,
  8230: 0x85,
  8224: 0x86,
  8225: 0x87,
  710: 0x88,
  8240: 0x89,
  352: 0x8a,
  8249: 0x8b,
  338: 0x8c,
  381: 0x8e,
  8216: 0x91,
  8217: 0x92,
  8220: 0x93,
  8221: 0x94,
  8226: 0x95,
  8211: 0x96,
  8212: 0x97,
  732: 0x98,
  8482: 0x99,
  353: 0x9a,
  8250: 0x9b,
  339: 0x9c,
  382: 0x9e,
  376: 0x9f,
};

/**
 * The bytes a latin1 or cp1252 decode turned into `text`, or null when `text` holds a character no
 * single byte decodes to — then it is real text, not mojibake.
 */
export function bytesBehindLatin1(text: string): Buffer | null {
  const bytes = Buffer.allocUnsafe(text.length);
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c <= 0xff) bytes[i] = c;
    else {
      const b = CP1252_HIGH[c];
      if (b === undefined) return null;
      bytes[i] = b;
    }
  }
  return bytes;
}
