/**
 * Encoding labels as an XML declaration, an xml-files source's `encoding` or a platform answer's
 * `charset` writes them, told apart by their letters and digits as iconv-lite looks them up. The
 * one table: connectors/xml-files/decode.ts decodes export files by it, adapters/tls-http.ts
 * platform answers, core/gb18030-2022.ts the charset repairs. The XML declaration is read here too,
 * once for both.
 */

/**
 * The encodings an xml-files source's `encoding` names (besides `auto`), as the schema lists them
 * and the "cannot decode" error suggests them: one list, so an encoding the source comes to take is
 * suggested too. `gbk` decodes as GB18030 (normaliseEncoding); the others as iconv-lite names them.
 */
export const SOURCE_ENCODINGS = ['utf-8', 'gb18030', 'gbk', 'big5', 'shift_jis', 'euc-kr'] as const;
export type SourceEncoding = (typeof SOURCE_ENCODINGS)[number];

/**
 * An encoding label as licbridge decodes it: UTF-8's names as `utf-8`, GBK and its relatives as
 * GB18030, their superset. Labels are compared by their letters and digits, as iconv-lite looks
 * them up: to it `GB-2312`, `cp-936` and `GB_18030` are GBK and GB 18030 and `utf_8` is UTF-8, and
 * compared as written, a UTF-8 file under `GB-2312` was read as GBK without the GB18030 checks
 * (`张三` as `寮犱笁`, unquestioned), and one under `utf_8` (Python's codec name, which ElementTree
 * writes into the declaration as given) as a one-byte encoding, its Chinese values quarantined.
 */
export function normaliseEncoding(label: string): string {
  const l = label.trim().toLowerCase();
  const name = labelName(l);
  if (UTF8_LABELS.has(name)) return 'utf-8';
  // GB 18030 is a superset of GBK (cp936) and GB 2312: decoding any of them as GB18030 is lossless.
  return GB_LABELS.has(name) ? 'gb18030' : l;
}

/** A label's letters and digits, lower case, as iconv-lite looks a label up (`GB_2312-80` → `gb231280`). */
function labelName(label: string): string {
  return label.toLowerCase().replace(/:\d{4}$|[^0-9a-z]/g, '');
}

/**
 * UTF-8's names: its own, and the WHATWG Encoding Standard's other labels for it
 * (`unicode-1-1-utf-8`, which iconv-lite decodes as a one-byte encoding would be doubted, and
 * `unicode-2-0-utf-8`, `x-unicode20utf8`, which it does not know).
 */
const UTF8_LABELS: ReadonlySet<string> = new Set([
  'utf8',
  'unicode11utf8',
  'unicode20utf8',
  'xunicode20utf8',
]);

/** GB 18030's own names and editions (letters and digits, labelName): the GB name with four-byte codes. */
const GB18030_NAMES = [
  'gb18030', // gb18030, gb-18030, GB_18030
  'gb180302000',
  'gb180302005',
  'gb180302022',
] as const;

/**
 * Whether a label names GB 18030 itself, in any spelling or edition (`GB-18030`, `gb18030-2022`),
 * not GBK, cp936 or GB 2312, which decode as GB 18030 but have none of its four-byte codes.
 */
export function isGb18030Label(label: string): boolean {
  return (GB18030_NAMES as readonly string[]).includes(labelName(label));
}

/**
 * The names of GB 2312, GBK and GB 18030 (letters and digits, labelName): the WHATWG Encoding
 * Standard's labels, Java's and Windows' names, GB 18030's editions. iconv-lite knows some of them
 * (`ms936`, `chinese`) as encodings of their own: a file declaring one skipped the GB18030 checks
 * (a UTF-8 file under such a declaration read as other Chinese characters, unquestioned), and
 * others (`x-mswin-936`, `gb18030-2022`) stopped the read as an encoding licbridge cannot decode.
 */
const GB_LABELS: ReadonlySet<string> = new Set([
  'gbk', // also GB-K
  'xgbk', // x-gbk
  'csgbk',
  'gb2312', // gb2312, gb_2312, GB-2312
  'gb231280', // gb_2312-80, gb2312-80
  'csgb2312',
  'csiso58gb231280',
  'isoir58', // iso-ir-58
  'chinese',
  'euccn', // euc-cn, EUC_CN
  'cp936',
  'ms936',
  'windows936', // windows-936, windows_936
  'xmswin936', // x-mswin-936
  ...GB18030_NAMES,
]);

/**
 * Encodings of two or four bytes per ASCII character, which a declaration read as ASCII is not in,
 * as their labels' letters and digits (`utf_16`, `UCS-2` as `utf16`, `ucs2`).
 */
const WIDE = /^(utf(16|32)(le|be)?|ucs[24](le|be)?|unicode(fffe|feff)?)$/;

/** Whether a label names an encoding of two or four bytes per ASCII character (UTF-16, UTF-32, UCS-2). */
export function isWideLabel(label: string): boolean {
  return WIDE.test(labelName(label));
}

/**
 * The declaration sits in the first bytes and is ASCII in every encoding an export or a platform
 * answer is read in (UTF-16 and UTF-32 are told by their marks and zero bytes before it is read).
 */
const XML_DECLARATION = /^\s*<\?xml\s[^>]*?encoding\s*=\s*["']([A-Za-z0-9._:-]+)["']/;

/** The encoding label an XML declaration in the first 512 bytes names as written, or null. */
export function xmlDeclaredEncoding(bytes: Uint8Array): string | null {
  const head = Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(bytes.length, 512)).toString('latin1');
  return XML_DECLARATION.exec(head)?.[1] ?? null;
}
