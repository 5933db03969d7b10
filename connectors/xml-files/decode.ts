/**
 * Turns an export file's bytes into text. Legacy exports are often GBK, sometimes with a
 * declaration that says so (`<?xml version="1.0" encoding="GBK"?>`), sometimes with one that lies.
 * Invalid bytes become U+FFFD here; records.ts turns a field holding one into a row problem.
 */
import { isUtf8 } from 'node:buffer';
import iconv from 'iconv-lite';
import {
  isWideLabel,
  normaliseEncoding,
  SOURCE_ENCODINGS,
  type SourceEncoding,
  xmlDeclaredEncoding,
} from '../../core/encoding-labels.js';
import { ErrorCodes, LicbridgeError } from '../../core/errors.js';
import { decodeText } from '../../core/gb18030-2022.js';
import { commonGbPairs, mostlyChinese, mostlyEastAsian, mostlyLatin } from './text-shapes.js';

/**
 * The source's `encoding`: `auto`, or an encoding the files are read in and trusted in, their bytes
 * not doubted. Big5, Shift_JIS and EUC-KR are among them as GBK is: a real export in one of them
 * with few non-ASCII characters can be valid UTF-8 by chance (Big5 `羅` is C3 B9, UTF-8 `ù`), and
 * is doubted under `auto` (multiByteDoubt) as a UTF-8 file under its declaration would be.
 */
export type XmlEncodingOption = 'auto' | SourceEncoding;

export interface DecodedText {
  text: string;
  /** The encoding the bytes were decoded with, e.g. `gb18030`. */
  encoding: string;
  /** How it was chosen. */
  chosenBy: 'bom' | 'zero-bytes' | 'config' | 'declaration' | 'default' | 'wide-declaration';
  /**
   * Why the file's non-ASCII text cannot be trusted, when its bytes contradict the encoding
   * licbridge chose from the file itself (records.ts quarantines every value holding such text);
   * null when nothing contradicts it, or when the source's `encoding` chose.
   */
  doubt: string | null;
  /**
   * Whether decoding put U+FFFD in place of invalid bytes. False for a file valid throughout (UTF-8,
   * or any encoding that has U+FFFD, replacedIn): a U+FFFD in it was written as such (EF BF BD,
   * GB 18030's 84 31 A4 37), and is told as that, not as invalid bytes.
   */
  replaced: boolean;
}

function bom(bytes: Uint8Array): { encoding: string; length: number } | null {
  // UTF-32's marks first: UTF-32LE's begins with UTF-16LE's, and the U+0000 after that one is no
  // XML character (XML 1.0 appendix F).
  const [a, b, c, d] = bytes.subarray(0, 4);
  if (a === 0xff && b === 0xfe && c === 0 && d === 0) return { encoding: 'utf-32le', length: 4 };
  if (a === 0 && b === 0 && c === 0xfe && d === 0xff) return { encoding: 'utf-32be', length: 4 };
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return { encoding: 'utf-8', length: 3 };
  // GB 18030's own mark, U+FEFF in four bytes: before it the declaration was not found (the file
  // read as UTF-8), or, decoded as GB18030, it stood before the declaration as text.
  if (a === 0x84 && b === 0x31 && c === 0x95 && d === 0x33) return { encoding: 'gb18030', length: 4 };
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return { encoding: 'utf-16le', length: 2 };
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return { encoding: 'utf-16be', length: 2 };
  return null;
}

/**
 * UTF-16 or UTF-32 without a byte-order mark, told by the first characters (XML 1.0 appendix F):
 * ASCII characters of two bytes each, one of them zero, as `<?` or `<R` are, or of four bytes,
 * three of them zero. SQL Server's `bcp … -w` writes a FOR XML export so, with no declaration
 * either; read as UTF-8, the file was refused at its first character. XML text holds no zero byte
 * in UTF-8 or GBK.
 */
function wideWithoutMark(bytes: Uint8Array): string | null {
  const [a = 0, b = 0, c = 0, d = 0] = bytes.subarray(0, 4);
  const ascii = (n: number) => n > 0 && n < 0x80;
  if (ascii(a) && b === 0 && ascii(c) && d === 0) return 'utf-16le';
  if (a === 0 && ascii(b) && c === 0 && ascii(d)) return 'utf-16be';
  // UTF-32 (UCS-4): one ASCII character in four bytes, three of them zero.
  if (ascii(a) && b === 0 && c === 0 && d === 0) return 'utf-32le';
  if (a === 0 && b === 0 && c === 0 && ascii(d)) return 'utf-32be';
  return null;
}

/**
 * Decodes `bytes`: a byte-order mark wins (it cannot be wrong about UTF-8/16/32), or UTF-16's zero
 * bytes without one; then the configured encoding, then the declaration, then UTF-8 (the XML default).
 */
export function decodeXml(
  bytes: Uint8Array,
  option: XmlEncodingOption,
  where: { source: string; file: string },
): DecodedText {
  const mark = bom(bytes);
  let encoding: string;
  let chosenBy: DecodedText['chosenBy'];
  let body = bytes;
  if (mark && !markOverruled(mark.encoding, option, bytes.subarray(mark.length))) {
    encoding = mark.encoding;
    chosenBy = 'bom';
    body = bytes.subarray(mark.length);
  } else if (mark) {
    // A UTF-8 mark before bytes that are mostly not UTF-8 (a template's header, saved with a mark,
    // in front of a GBK body): the source's encoding decides, as the doubt such a file raises
    // asks. Trusted over it, every value holding Chinese was quarantined whatever was set.
    encoding = normaliseEncoding(option);
    chosenBy = 'config';
    body = bytes.subarray(mark.length);
  } else if (wideWithoutMark(bytes)) {
    // As certain as a mark: no encoding the source may name has a zero byte in XML text.
    encoding = wideWithoutMark(bytes) as string;
    chosenBy = 'zero-bytes';
  } else if (option !== 'auto') {
    encoding = normaliseEncoding(option);
    chosenBy = 'config';
  } else {
    const declared = xmlDeclaredEncoding(bytes);
    encoding = declared === null ? 'utf-8' : normaliseEncoding(declared);
    chosenBy = declared === null ? 'default' : 'declaration';
    // A declaration read as ASCII bytes is in no two- or four-byte encoding (XML 1.0 appendix F):
    // .NET declares utf-16 on an XmlDocument saved through a StringWriter and written out as
    // UTF-8. Decoded as UTF-16, the file read as not well-formed at its first character, and it
    // and every file after it waited for good.
    if (isWideLabel(encoding)) {
      encoding = 'utf-8';
      chosenBy = 'wide-declaration';
    }
  }
  if (encoding === 'utf-8') {
    // Not fatal: an invalid sequence becomes U+FFFD and quarantines only the row holding it.
    const text = new TextDecoder('utf-8', { fatal: false }).decode(body);
    return {
      text,
      encoding,
      chosenBy,
      doubt: chosenBy === 'config' ? null : utf8Doubt(text, chosenBy, body),
      replaced: text.includes('\uFFFD') && !isUtf8(body),
    };
  }
  if (!iconv.encodingExists(encoding)) {
    throw new LicbridgeError(
      ErrorCodes.SOURCE_SCHEMA,
      `xml-files ${where.source}: decode failed: file ${where.file} declares encoding \`${encoding}\`, which licbridge cannot decode; set \`encoding\` on the source (${SOURCE_ENCODINGS.join(', ')})`,
      { context: { source: where.source, file: where.file } },
    );
  }
  const text = decodeText(Buffer.from(body), encoding);
  let doubt: string | null = null;
  if (chosenBy !== 'config') {
    if (encoding === 'gb18030') doubt = isUtf8Text(body) ? GB_DOUBT : null;
    else if (oneByte(encoding)) doubt = oneByteDoubt(encoding, body, chosenBy);
    else doubt = multiByteDoubt(encoding, body, chosenBy, text);
  }
  return { text, encoding, chosenBy, doubt, replaced: replacedIn(text, body, encoding) };
}

/**
 * Whether decoding in `encoding` (other than UTF-8) put U+FFFD in place of invalid bytes: the text
 * holds more of it than the bytes write as such (GB 18030's `84 31 A4 37`, UTF-16LE's `FD FF`, at
 * a character's place). The decoders write U+FFFD for both, and a value an earlier conversion had
 * already lost, in a valid file, was told as invalid bytes, the user sent to set `encoding` to no
 * avail. An encoding that has no U+FFFD (Big5, one-byte ones) writes it for invalid bytes only.
 */
function replacedIn(text: string, body: Uint8Array, encoding: string): boolean {
  let inText = 0;
  for (let i = text.indexOf('\uFFFD'); i >= 0; i = text.indexOf('\uFFFD', i + 1)) inText++;
  if (inText === 0) return false;
  const written = iconv.encode('\uFFFD', encoding);
  if (decodeText(written, encoding) !== '\uFFFD') return true;
  // UTF-16's and UTF-32's code units start at even offsets, or at multiples of four.
  const unit = /^utf-?32/.test(encoding) ? 4 : /^utf-?16/.test(encoding) ? 2 : 1;
  const bytes = Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  let asSuch = 0;
  for (let i = bytes.indexOf(written); i >= 0; i = bytes.indexOf(written, i + 1)) {
    if (i % unit === 0) asSuch++;
  }
  return inText > asSuch;
}

/**
 * Whether a byte-order mark gives way to an encoding other than UTF-8 the source names: only a
 * UTF-8 mark, only before bytes that are not UTF-8 throughout and would be doubted as UTF-8
 * (utf8Doubt), and only when they read as text in the named encoding: GBK Chinese text
 * (commonGbPairs) for a GB name; else plainly not UTF-8 (NOT_UTF8_RATIO) and with fewer invalid
 * sequences in the named encoding than in UTF-8 (Big5 and Shift_JIS Chinese and Japanese are no
 * GBK pairs: behind a mark they were read as UTF-8 whatever was set, every value quarantined). UTF-8 Chinese is valid GBK too (张三 E5 BC A0 E4 B8
 * 89 reads 寮犱笁): a UTF-8 file whose names were cut at a byte limit read so, every value other
 * characters and none quarantined; in Big5, Shift_JIS or EUC-KR such names read worse than in
 * UTF-8. UTF-16's marks cannot begin a GBK file (0xFF is no GBK byte).
 */
function markOverruled(markEncoding: string, option: XmlEncodingOption, body: Uint8Array): boolean {
  const named = option === 'auto' ? 'utf-8' : normaliseEncoding(option);
  if (markEncoding !== 'utf-8' || named === 'utf-8') return false;
  const utf8 = new TextDecoder('utf-8', { fatal: false }).decode(body);
  if (utf8Doubt(utf8, 'bom', body) === null) return false;
  if (named === 'gb18030') return commonGbPairs(body);
  // Valid UTF-8 by chance is rare in these (Big5 `羅` C3 B9): a cut UTF-8 name keeps a whole
  // character beside each cut one, as many valid as invalid.
  const { invalid, valid } = utf8Counts(utf8);
  return (
    valid * NOT_UTF8_RATIO <= invalid && utf8Counts(decodeText(Buffer.from(body), named)).invalid < invalid
  );
}

/** How many more invalid UTF-8 sequences than valid non-ASCII characters make bytes plainly not UTF-8. */
const NOT_UTF8_RATIO = 4;

/** U+FFFD (an invalid sequence) and other non-ASCII characters in decoded text. */
function utf8Counts(text: string): { invalid: number; valid: number } {
  let invalid = 0;
  let valid = 0;
  for (const ch of text) {
    if (ch === '\uFFFD') invalid++;
    else if (ch.charCodeAt(0) > 0x7f) valid++;
  }
  return { invalid, valid };
}

const HIGH_BYTES = Buffer.from(Array.from({ length: 0x80 }, (_, i) => 0x80 + i));

/**
 * Whether every byte of the encoding is one character (ISO-8859-1, windows-1252, …): each of the
 * 128 bytes above 0x7F reads alone. Tried on `C4 E3` alone, Shift_JIS (whose `C4` is a half-width
 * katakana and `E3` a lead byte) passed for one, and its doubts spoke of a one-byte encoding.
 */
function oneByte(encoding: string): boolean {
  return (
    iconv.decode(Buffer.from([0xc4, 0xe3]), encoding).length === 2 &&
    iconv.decode(HIGH_BYTES, encoding).length === HIGH_BYTES.length
  );
}

/**
 * A file read in a one-byte encoding (Java tools declare ISO-8859-1 by default) turns any bytes
 * into some characters: GBK or UTF-8 bytes under such a declaration read cleanly as Latin
 * letters (`甲` as `ç\u0094²`), and no value would be quarantined. Bytes that are valid UTF-8
 * throughout, or that read as Chinese in GB18030, were written in that encoding.
 */
function oneByteDoubt(encoding: string, body: Uint8Array, chosenBy: DecodedText['chosenBy']): string | null {
  if (!body.some((b) => b > 0x7f)) return null;
  let utf8: string | null = null;
  try {
    utf8 = new TextDecoder('utf-8', { fatal: true }).decode(body);
  } catch {}
  // Valid UTF-8 reading as Chinese or as accented Latin letters was written so. A few GBK
  // characters are valid UTF-8 by chance too (`通` as the combining `ͨ`): naming UTF-8 for those
  // would have the source set to it and the values trusted as those characters.
  if (utf8 !== null && (mostlyChinese(utf8) || mostlyLatin(utf8)))
    return oneByteMessage(encoding, chosenBy, 'utf-8');
  let actual: string | null = null;
  // The byte count first: a Latin-1 file stops there, without a second decoding of the file.
  if (commonGbPairs(body)) {
    const gb = iconv.decode(Buffer.from(body), 'gb18030');
    if (!gb.includes('\uFFFD') && mostlyChinese(gb)) actual = 'gb18030';
  }
  actual ??= utf8 === null ? null : 'utf-8';
  return actual === null ? null : oneByteMessage(encoding, chosenBy, actual);
}

/**
 * A file read in a multi-byte encoding other than GB's (Big5, Shift_JIS, EUC-KR: a Taiwanese,
 * Japanese or Korean tool's header on a template) whose bytes were written in another. UTF-8 text
 * is mostly valid in these too (`姜维` reads `憪𦦵輕` in Big5, `张三` `凉졽툒` in EUC-KR), so a UTF-8
 * export under such a declaration read as other characters, its values unquestioned. Bytes valid
 * UTF-8 throughout that read otherwise, as East Asian or Latin text, were written in UTF-8 (as in
 * oneByteDoubt). GB bytes read mostly cleanly too: they are doubted when some of them are invalid
 * in the declared encoding (`人` C8CB has no Big5 character) and all of them read as GB18030 Chinese
 * text (commonGbPairs); a file really in the declared encoding reads cleanly in it, and one value
 * cut mid-character there is cut in GB18030 too.
 */
function multiByteDoubt(
  encoding: string,
  body: Uint8Array,
  chosenBy: DecodedText['chosenBy'],
  text: string,
): string | null {
  if (!body.some((b) => b > 0x7f)) return null;
  let utf8: string | null = null;
  try {
    utf8 = new TextDecoder('utf-8', { fatal: true }).decode(body);
  } catch {}
  if (utf8 !== null && utf8 !== text && (mostlyEastAsian(utf8) || mostlyLatin(utf8)))
    return multiByteMessage(encoding, chosenBy, 'utf-8');
  if (!text.includes('\uFFFD') || !commonGbPairs(body)) return null;
  const gb = iconv.decode(Buffer.from(body), 'gb18030');
  return !gb.includes('\uFFFD') && mostlyChinese(gb) ? multiByteMessage(encoding, chosenBy, 'gb18030') : null;
}

function multiByteMessage(encoding: string, chosenBy: DecodedText['chosenBy'], actual: string): string {
  return `the file is read as ${encoding} ${HOW[chosenBy]}, but its bytes read as ${actual} text: the declaration does not match the bytes, and read as ${encoding} this value would be other characters; set the source's \`encoding\``;
}

function oneByteMessage(encoding: string, chosenBy: DecodedText['chosenBy'], actual: string): string {
  return `the file is read as ${encoding} ${HOW[chosenBy]}, but its bytes read as ${actual} text: a one-byte encoding reads any bytes as some characters, and read as ${encoding} this value would be other characters; set the source's \`encoding\``;
}

const HOW: Readonly<Record<DecodedText['chosenBy'], string>> = {
  bom: 'by its byte-order mark',
  'zero-bytes': 'as its first characters are of two bytes, one of them zero',
  config: 'as the source says',
  declaration: 'as its declaration says',
  default: 'as it declares no encoding',
  'wide-declaration': 'as its declaration, of a two- or four-byte encoding, is written in one-byte ASCII',
};

/**
 * A file read as UTF-8 in which invalid sequences are at least as common as valid non-ASCII
 * characters was written in another encoding (GBK, as Access-era tools write, with a declaration
 * copied from a template or none). A few of its GBK characters are valid UTF-8 by chance (联通's
 * 通 is CD A8, U+0368 in UTF-8): without this, those values would read cleanly as other
 * characters, while a UTF-8 file with one value cut mid-character keeps its other values.
 */
function utf8Doubt(text: string, chosenBy: DecodedText['chosenBy'], body: Uint8Array): string | null {
  // U+FFFD written as such (EF BF BD, a value an earlier conversion lost) is no invalid byte.
  if (!text.includes('\uFFFD') || isUtf8(body)) return null;
  const { invalid, valid } = utf8Counts(text);
  if (invalid === 0 || invalid < valid) return null;
  return `the file is read as utf-8 ${HOW[chosenBy]}, but most of its non-ASCII bytes are invalid utf-8: it was written in another encoding (GBK exports often are), and this value reads as utf-8 only by chance; set the source's \`encoding\``;
}

const GB_DOUBT =
  "the file is read as gb18030 as its declaration says, but its bytes are valid utf-8 throughout: the declaration does not match the bytes (a template's header on a UTF-8 export), and read as gb18030 this value would be other characters; set the source's `encoding`";

/**
 * Whether the bytes read as UTF-8 Chinese text: valid UTF-8 throughout, and most of their non-ASCII
 * characters CJK (ideographs, CJK and full-width punctuation). Valid UTF-8 alone is no proof: about
 * one common GBK character in six is a valid two-byte UTF-8 sequence by chance (通 CD A8, 郑 D6 A3,
 * 谢 D0 BB, 叶 D2 B6), so a correct GBK file holding one or two Chinese characters was often taken
 * for UTF-8 under a GBK declaration, and every value holding them was quarantined. Those chance
 * sequences read as Latin, Greek, Cyrillic or combining marks (U+0080–U+07FF), not as CJK: a GBK
 * text reads as CJK in UTF-8 only in rare runs of three or more GBK characters.
 */
function isUtf8Text(body: Uint8Array): boolean {
  if (!body.some((b) => b > 0x7f)) return false;
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(body);
  } catch {
    return false;
  }
  return mostlyChinese(text);
}
