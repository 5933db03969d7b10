/**
 * Charset repair for the most common legacy-database mojibake (STANDARDS §6, "Encodings"): a
 * Chinese application wrote GBK/cp936 bytes into a latin1 column, and every driver since hands the
 * bytes back decoded as latin1 — `ÖÐ¹ú` instead of `中国`. The bytes are still all there, one per
 * character, so they can be recovered exactly and decoded as what they really are.
 */
import iconv from 'iconv-lite';

/** The encodings a repair may name; GB18030 is a superset of GBK and cp936 and decodes both. */
export const REPAIR_ENCODINGS = ['gb18030', 'gbk', 'cp936', 'big5'] as const;
export type RepairEncoding = (typeof REPAIR_ENCODINGS)[number];

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

// biome-ignore lint/suspicious/noControlCharactersInRegex: the whole ASCII range, control characters included, is what passes unchanged.
const ASCII_ONLY = /^[\x00-\x7f]*$/;
const REPLACEMENT = '\ufffd';

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
    const recovered = latin1Bytes(value);
    if (!recovered) return { ok: true, value };
    bytes = recovered;
  } else {
    bytes = Buffer.from(value.buffer, value.byteOffset, value.byteLength);
  }
  const decoded = iconv.decode(bytes, encoding);
  // iconv-lite turns every invalid or truncated sequence into U+FFFD; the recovered bytes held
  // none (U+FFFD is not a latin1 character), so any found here marks bytes the encoding rejects.
  if (decoded.includes(REPLACEMENT)) {
    let bad = 0;
    for (const ch of decoded) if (ch === REPLACEMENT) bad += 1;
    return {
      ok: false,
      message: `${bad} invalid ${encoding} byte sequence${bad === 1 ? '' : 's'} in ${bytes.length} bytes`,
    };
  }
  return { ok: true, value: decoded };
}
