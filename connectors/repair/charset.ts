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
 * The text a latin1 column holding `text`'s bytes in `encoding` is read as: what `repairText`
 * turns back into `text`, so a key a run gave a repaired row is looked up as the database holds it
 * (keyed-reads.ts). Bound as the repaired text, it compared with the column through latin1, where
 * it has no characters: MySQL and MariaDB refused the look-up (Illegal mix of collations), SQL
 * Server and Oracle matched none. Two spellings where they differ: Windows-1252's (MySQL's latin1,
 * SQL Server's Latin1 collations) and ISO 8859-1's (Oracle's WE8ISO8859P1), which read 0x80–0x9F
 * apart; `windows-1252` gives the first alone, for a database that refuses a look-up holding text
 * its latin1 has no character for (MySQL, MariaDB). ASCII is its own spelling; so is text the
 * encoding does not give back as it was (a character it has no code for), which no repaired row
 * holds.
 */
export function storedSpellings(
  text: string,
  encoding: RepairEncoding,
  latin1: 'windows-1252' | 'either' = 'either',
): string[] {
  if (ASCII_ONLY.test(text)) return [text];
  const label = gbDecodeLabel(encoding);
  const bytes = iconv.encode(text, label);
  if (decodeText(bytes, label) !== text) return [text];
  let cp1252 = '';
  for (const b of bytes) cp1252 += b >= 0x80 && b <= 0x9f ? CP1252_READ[b - 0x80] : String.fromCharCode(b);
  const iso = bytes.toString('latin1');
  return cp1252 === iso || latin1 === 'windows-1252' ? [cp1252] : [cp1252, iso];
}
