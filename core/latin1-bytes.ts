/**
 * The bytes behind text a latin1 connection produced — the first step of every charset repair
 * (STANDARDS §6, "Encodings"). Shared by the source-level repair (connectors/repair/charset.ts)
 * and the mapping-level one (mappings/charset-transform.ts): one table, one inversion.
 */

// MySQL's `latin1` is really Windows-1252: bytes 0x80–0x9F come back as `€`, `‚`, `ƒ`, … (U+20AC,
// U+201A, U+0192, …), not as U+0080–U+009F. GBK lead bytes live in 0x81–0xFE, so without this
// table half of all Chinese characters would look "not latin1" and be left broken.
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
 * The bytes a latin1 (or cp1252) decode turned into `text`, or null when `text` holds a character
 * no single byte decodes to — then it is not mojibake (the column already holds real text).
 */
export function latin1Bytes(text: string): Buffer | null {
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

/** How many U+FFFD `text` holds: characters a decoder could not read. */
export function replacementCount(text: string): number {
  let n = 0;
  for (let i = text.indexOf('\uFFFD'); i !== -1; i = text.indexOf('\uFFFD', i + 1)) n += 1;
  return n;
}

/**
 * Why text the driver already put U+FFFD into cannot be repaired, or undefined when it holds none:
 * the driver replaced bytes it could not decode (tedious reads a SQL Server latin1 column as
 * cp1252, which has no character for 0x81 0x8D 0x8F 0x90 0x9D — GBK `垚` is 0x88 0x90;
 * node-postgres reads a SQL_ASCII database's bytes as UTF-8). Those bytes are gone, and such text
 * would otherwise pass as "already Unicode", mojibake and all. Only a count: the text may be a
 * holder's name.
 */
export function driverReplacedProblem(text: string): string | undefined {
  const lost = replacementCount(text);
  if (lost === 0) return undefined;
  return `${lost} character${lost === 1 ? '' : 's'} the driver could not decode, already replaced with U+FFFD: the bytes are lost before the repair; read the column as bytes (docs/connectors.md, charset repair)`;
}
