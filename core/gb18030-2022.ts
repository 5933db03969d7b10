/**
 * GB 18030-2022's code points for the 18 characters GB 18030-2005 mapped to the Private Use Area.
 * iconv-lite decodes GB18030 and GBK by the 2005 table: `FE59` (龴) reads as U+E81E, a
 * code point no font or platform shows as that character, where GB 18030-2022 and the WHATWG
 * Encoding Standard (Node's `TextDecoder('gb18030')`) read U+9FB4. Shared by every decoding of GB
 * bytes into values: xml-files `encoding`, the source-level `charset` repair and `repairCharset`.
 *
 * In text decoded from GB bytes each of these private-use code points comes from its one two-byte
 * code alone (the four-byte codes of the standard code points already decode to them), so the
 * mapping is exact. The six characters GB 18030-2022 left in the Private Use Area (`FE51`, …) stay.
 */
import iconv from 'iconv-lite';
import { normaliseEncoding } from './encoding-labels.js';

/** Private-use code point (the 2005 mapping) → GB 18030-2022's, by two-byte code. */
const STANDARD: ReadonlyMap<number, number> = new Map([
  [0xe78d, 0xfe10], // A6D9 ︐ vertical forms
  [0xe78e, 0xfe12], // A6DA
  [0xe78f, 0xfe11], // A6DB
  [0xe790, 0xfe13], // A6DC
  [0xe791, 0xfe14], // A6DD
  [0xe792, 0xfe15], // A6DE
  [0xe793, 0xfe16], // A6DF
  [0xe794, 0xfe17], // A6EC
  [0xe795, 0xfe18], // A6ED
  [0xe796, 0xfe19], // A6F3
  [0xe81e, 0x9fb4], // FE59 龴
  [0xe826, 0x9fb5], // FE61
  [0xe82b, 0x9fb6], // FE66
  [0xe82c, 0x9fb7], // FE67
  [0xe832, 0x9fb8], // FE6D
  [0xe843, 0x9fb9], // FE7E
  [0xe854, 0x9fba], // FE90
  [0xe864, 0x9fbb], // FEA0
]);

const PRIVATE_USE = /[\ue78d-\ue796\ue81e\ue826\ue82b\ue82c\ue832\ue843\ue854\ue864]/g;

/** `text` decoded from GB bytes by the 2005 table, with GB 18030-2022's code points. */
export function gb18030Standard(text: string): string {
  return text.replace(PRIVATE_USE, (c) => {
    const standard = STANDARD.get(c.charCodeAt(0));
    return standard === undefined ? c : String.fromCharCode(standard);
  });
}

/**
 * The label to decode bytes named `encoding` by: `gb18030` for any name of GB 2312, GBK or GB 18030
 * in the one label table (core/encoding-labels.ts, by letters and digits), else `encoding`. GB
 * names decode as GB 18030, their superset (reference/STANDARDS.md §6): iconv-lite's `cp936` (and
 * `gb2312`, its alias there) has no four-byte codes and reads `FE59`, `A6D9` … as private-use code
 * points. Compared as written, `repairCharset: GB-2312` or `CP-936` decoded by that table (`𠀀`
 * refused as bytes that are not GB-2312), and `x-mswin-936` or `gb18030-2022` were no charset at
 * all. For the source-level `charset` repair and `repairCharset`.
 */
export function gbDecodeLabel(encoding: string): string {
  return normaliseEncoding(encoding) === 'gb18030' ? 'gb18030' : encoding;
}

const gb2005 = new Map<string, boolean>();

/**
 * `bytes` decoded by iconv-lite as `encoding`, GB bytes (`gb18030`, `gbk` and iconv-lite's
 * other names for them, told apart by how the label decodes `FE59`) with GB 18030-2022's code points.
 */
export function decodeText(bytes: Buffer, encoding: string): string {
  let gb = gb2005.get(encoding);
  if (gb === undefined) {
    gb = iconv.decode(Buffer.from([0xfe, 0x59]), encoding) === '\ue81e';
    gb2005.set(encoding, gb);
  }
  return wellFormed(gb ? gb18030Standard(decodeGb(bytes, encoding)) : iconv.decode(bytes, encoding));
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/**
 * Each lone surrogate as U+FFFD. iconv-lite hands half a pair on as it found it in UTF-16 or
 * UTF-32 bytes (a name cut between the halves of `𠀀`): kept, it became U+FFFD unseen once the
 * value was written out as UTF-8, where U+FFFD here marks the bytes invalid, as for any encoding.
 */
function wellFormed(text: string): string {
  return /[\uD800-\uDFFF]/.test(text) ? text.replace(LONE_SURROGATE, '\uFFFD') : text;
}

/**
 * Where GB bytes hold a four-byte code that is no character: GB 18030's four-byte codes map
 * U+0080–U+FFFF (pointers 0–39419) and U+10000–U+10FFFF (`90 30 81 30`, pointer 189000, to
 * `E3 32 9A 35`, 1237575); those between and past are errors to the WHATWG decoder. iconv-lite
 * reads them on from its last range: `84 31 A5 30` as U+10000, `8F 39 FE 39` as U+3484B, past
 * U+10FFFF as lone surrogates — another character, or none, where U+FFFD tells the bytes were wrong.
 */
export function unassignedFourByteCodes(bytes: Buffer): number[] {
  const at: number[] = [];
  let i = 0;
  while (i < bytes.length) {
    const lead = bytes[i] ?? 0;
    if (lead < 0x81 || lead === 0xff) {
      i += 1;
      continue;
    }
    const b2 = bytes[i + 1] ?? -1;
    const b3 = bytes[i + 2] ?? -1;
    const b4 = bytes[i + 3] ?? -1;
    if (b2 >= 0x30 && b2 <= 0x39 && b3 >= 0x81 && b3 <= 0xfe && b4 >= 0x30 && b4 <= 0x39) {
      const pointer = (lead - 0x81) * 12600 + (b2 - 0x30) * 1260 + (b3 - 0x81) * 10 + (b4 - 0x30);
      if ((pointer > 39419 && pointer < 189000) || pointer > 1237575) at.push(i);
      i += 4;
    } else i += (b2 >= 0x40 && b2 <= 0x7e) || (b2 >= 0x80 && b2 <= 0xfe) ? 2 : 1;
  }
  return at;
}

/** GB bytes decoded by iconv-lite, each four-byte code that is no character as one U+FFFD. */
function decodeGb(bytes: Buffer, encoding: string): string {
  const bad = unassignedFourByteCodes(bytes);
  if (bad.length === 0) return iconv.decode(bytes, encoding);
  let out = '';
  let from = 0;
  for (const at of bad) {
    // Only the first piece may open with a byte-order mark; later ones keep a U+FEFF as text.
    out += `${iconv.decode(bytes.subarray(from, at), encoding, { stripBOM: from === 0 })}\uFFFD`;
    from = at + 4;
  }
  return out + iconv.decode(bytes.subarray(from), encoding, { stripBOM: false });
}
