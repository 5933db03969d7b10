/**
 * Charset repair for the most common legacy-database mojibake (STANDARDS §6, "Encodings"): a
 * Chinese application wrote GBK/cp936 bytes into a latin1 column, and every driver since hands the
 * bytes back decoded as latin1 — `ÖÐ¹ú` instead of `中国`. The bytes are still all there, one per
 * character, so they can be recovered exactly and decoded as what they really are.
 */
import iconv from 'iconv-lite';
import { isGb18030Label } from '../../core/encoding-labels.js';
import { decodeText, gbDecodeLabel, unassignedFourByteCodes } from '../../core/gb18030-2022.js';
import { driverReplacedProblem, latin1Bytes, replacementCount } from '../../core/latin1-bytes.js';

export { latin1Bytes };

/**
 * The encodings a repair may name. GB18030 is a superset of GBK and cp936 and decodes both, by
 * GB 18030-2022 (core/gb18030-2022.ts), so `cp936` reads what `gbk` reads; neither has GB18030's
 * four-byte codes, which they refuse.
 */
export const REPAIR_ENCODINGS = ['gb18030', 'gbk', 'cp936', 'big5'] as const;
export type RepairEncoding = (typeof REPAIR_ENCODINGS)[number];

// biome-ignore lint/suspicious/noControlCharactersInRegex: the whole ASCII range, control characters included, is what passes unchanged.
const ASCII_ONLY = /^[\x00-\x7f]*$/;
const REPLACEMENT = '\ufffd';

export type CharsetOutcome = { ok: true; value: string } | { ok: false; message: string };

/**
 * Repairs one value. Plain ASCII and text that is already Unicode pass unchanged, so a repair
 * declared on a column that was converted since does no harm. Bytes that are not valid in
 * `encoding` fail — a row with a broken name must be quarantined, not delivered as `�`.
 */
export function repairText(value: string | Uint8Array, encoding: RepairEncoding): CharsetOutcome {
  let bytes: Buffer;
  if (typeof value === 'string') {
    if (ASCII_ONLY.test(value)) return { ok: true, value };
    // Bytes the driver already replaced with U+FFFD are gone (core/latin1-bytes.ts).
    const problem = driverReplacedProblem(value);
    if (problem) return { ok: false, message: problem };
    const recovered = latin1Bytes(value);
    if (!recovered) return { ok: true, value };
    bytes = recovered;
  } else {
    bytes = Buffer.from(value.buffer, value.byteOffset, value.byteLength);
  }
  const label = gbDecodeLabel(encoding);
  const decoded = decodeText(bytes, label);
  // iconv-lite turns every invalid or truncated sequence into U+FFFD; the recovered bytes held
  // none (U+FFFD is not a latin1 character), so any found here marks bytes the encoding rejects.
  // GBK and cp936 decode by GB 18030's table but have none of its four-byte codes. The label is
  // told by its letters and digits, as everywhere else (core/encoding-labels.ts): compared as
  // written, `GB-18030` refused every four-byte code as invalid.
  // A four-byte code that is no character in GB 18030 either decodes as U+FFFD: counted there once.
  const fourByte =
    label === 'gb18030' && !isGb18030Label(encoding)
      ? fourByteCodes(bytes) - unassignedFourByteCodes(bytes).length
      : 0;
  if (fourByte > 0 || decoded.includes(REPLACEMENT)) {
    const bad = replacementCount(decoded) + fourByte;
    return {
      ok: false,
      message: `${bad} invalid ${encoding} byte sequence${bad === 1 ? '' : 's'} in ${bytes.length} bytes`,
    };
  }
  return { ok: true, value: decoded };
}

/**
 * GB18030's four-byte codes in `bytes`, which GBK and cp936 do not have (a lead byte 0x81–0xFE,
 * then a digit; a two-byte code's second byte is never a digit).
 */
function fourByteCodes(bytes: Buffer): number {
  let count = 0;
  for (let i = 0; i < bytes.length; i++) {
    const lead = bytes[i] as number;
    if (lead < 0x81 || lead > 0xfe) continue;
    const next = bytes[i + 1];
    if (next !== undefined && next >= 0x30 && next <= 0x39) {
      count++;
      i += 3;
    } else {
      i++;
    }
  }
  return count;
}

/**
 * Each byte 0x80–0x9F as MySQL's latin1 (Windows-1252) reads it: `€`, `‚`, …, and 0x81, 0x8D,
 * 0x8F, 0x90, 0x9D, which it leaves unassigned, as U+0081 … (latin1Bytes reads both back).
 */
const CP1252_READ: readonly string[] = Array.from({ length: 0x20 }, (_, i) => {
  const c = iconv.decode(Buffer.from([0x80 + i]), 'windows-1252');
  return c === REPLACEMENT ? String.fromCharCode(0x80 + i) : c;
});

/**
 * The texts a column may hold for a value a run reads as `text`, by which a key is looked up
 * (keyed-reads.ts): `text` itself, which the repair passes through unchanged (a column converted
 * since, or written by a Unicode client), and the latin1 text of its bytes in `encoding`, which it
 * reads back as `text` — Windows-1252's reading (MySQL's latin1, SQL Server's Latin1 collations)
 * and ISO 8859-1's (Oracle's WE8ISO8859P1, PostgreSQL's LATIN1, a Unicode column written by an
 * ISO 8859-1 client), which read 0x80–0x9F apart. A page delivers a row of any of them under
 * `text`, so the look-up asks them all; `holds` keeps those the column can hold, for a database
 * that refuses a look-up holding text its character set has no character for (MySQL, MariaDB:
 * Illegal mix of collations; PostgreSQL). ASCII is its own spelling; so is text the encoding does
 * not give back as it was (a character it has no code for), which no garbled row holds.
 */
export function storedSpellings(
  text: string,
  encoding: RepairEncoding,
  holds: (spelling: string) => boolean = () => true,
): string[] {
  if (ASCII_ONLY.test(text)) return [text];
  const label = gbDecodeLabel(encoding);
  const bytes = iconv.encode(text, label);
  if (decodeText(bytes, label) !== text) return [text].filter(holds);
  let cp1252 = '';
  for (const b of bytes) cp1252 += b >= 0x80 && b <= 0x9f ? CP1252_READ[b - 0x80] : String.fromCharCode(b);
  return [...new Set([text, cp1252, bytes.toString('latin1')])].filter(holds);
}

// Character sets that hold every character: Unicode's, and GB18030, which codes all of it.
const WHOLE_SETS = new Set(['utf8mb4', 'utf16', 'utf16le', 'utf32', 'gb18030']);
// MySQL's three-byte UTF-8 (`utf8` before 8.0, `utf8mb3`) and UCS-2 hold up to U+FFFF: a GB18030
// four-byte code repairs to a character above it (`𠀀`), which such a column refuses.
const BMP_SETS = new Set(['utf8', 'utf8mb3', 'ucs2']);
const ABOVE_FFFF = /[\u{10000}-\u{10FFFF}]/u;

/** Whether a text holds no character above U+FFFF, as a utf8mb3 or ucs2 column can hold it. */
export function withinFfff(text: string): boolean {
  return !ABOVE_FFFF.test(text);
}
// biome-ignore lint/suspicious/noControlCharactersInRegex: ISO 8859-1 is U+0000–U+00FF, control characters included.
const ISO_8859_1 = /^[\x00-\xff]*$/;
const CP1252_HELD = new Set(CP1252_READ);
// Windows-1252 as PostgreSQL's WIN1252 holds it: without the five bytes it leaves unassigned.
const CP1252_ASSIGNED = new Set(CP1252_READ.filter((c) => c > '\x9f'));

/**
 * Whether a column of character set `charset` can hold a text: `windows-1252` (MySQL's latin1,
 * with its five unassigned bytes as U+0081 …), `win1252` (PostgreSQL's, which has no character
 * for those five and refuses them, SQLSTATE 22P05), `iso-8859-1`, a whole set (`utf8mb4`,
 * `gb18030`), `utf8mb3` or `ucs2` (up to U+FFFF), or another that iconv-lite knows (`gbk`,
 * `big5`), the text held where it comes back unchanged. A set not known holds ASCII alone: a
 * look-up refused whole is worse than a key not found.
 */
export function characterSetHolds(charset: string): (text: string) => boolean {
  const name = charset.toLowerCase().replace(/[-_]/g, '');
  if (WHOLE_SETS.has(name)) return () => true;
  if (BMP_SETS.has(name)) return withinFfff;
  if (name === 'windows1252' || name === 'cp1252')
    return (t) => [...t].every((c) => c < '\x80' || (c >= '\xa0' && c <= '\xff') || CP1252_HELD.has(c));
  if (name === 'win1252')
    return (t) => [...t].every((c) => c < '\x80' || (c >= '\xa0' && c <= '\xff') || CP1252_ASSIGNED.has(c));
  if (name === 'iso88591') return (t) => ISO_8859_1.test(t);
  if (!iconv.encodingExists(charset)) return (t) => ASCII_ONLY.test(t);
  return (t) => iconv.decode(iconv.encode(t, charset), charset) === t;
}
