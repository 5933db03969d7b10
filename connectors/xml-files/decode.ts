/**
 * Turns an export file's bytes into text. Legacy exports are often GBK, sometimes with a
 * declaration that says so (`<?xml version="1.0" encoding="GBK"?>`), sometimes with one that lies.
 * Invalid bytes become U+FFFD here; records.ts turns a field holding one into a row problem.
 */
import iconv from 'iconv-lite';
import { ErrorCodes, LicbridgeError } from '../../core/errors.js';

export type XmlEncodingOption = 'auto' | 'utf-8' | 'gb18030' | 'gbk';

export interface DecodedText {
  text: string;
  /** The encoding the bytes were decoded with, e.g. `gb18030`. */
  encoding: string;
  /** How it was chosen. */
  chosenBy: 'bom' | 'config' | 'declaration' | 'default';
}

// The declaration sits in the first bytes and is ASCII in every encoding an export uses.
const DECLARATION = /^\s*<\?xml\s[^>]*?encoding\s*=\s*["']([A-Za-z0-9._:-]+)["']/;

/** An encoding label as licbridge decodes it: GBK and its relatives as GB18030, their superset. */
export function normaliseEncoding(label: string): string {
  const l = label.trim().toLowerCase();
  if (l === 'utf8' || l === 'utf-8') return 'utf-8';
  // GB 18030 is a superset of GBK (cp936) and GB 2312: decoding any of them as GB18030 is lossless.
  if (['gbk', 'gb2312', 'gb_2312-80', 'cp936', 'x-gbk', 'windows-936', 'euc-cn', 'gb18030'].includes(l)) {
    return 'gb18030';
  }
  return l;
}

function bom(bytes: Uint8Array): { encoding: string; length: number } | null {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return { encoding: 'utf-8', length: 3 };
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return { encoding: 'utf-16le', length: 2 };
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return { encoding: 'utf-16be', length: 2 };
  return null;
}

/** The encoding named by the XML declaration, if any. */
export function declaredEncoding(bytes: Uint8Array): string | null {
  const head = Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(bytes.length, 512)).toString('latin1');
  const m = DECLARATION.exec(head);
  return m?.[1] ?? null;
}

/**
 * Decodes `bytes`: a byte-order mark wins (it cannot be wrong about UTF-8/16); then the configured
 * encoding, then the declaration, then UTF-8 (the XML default).
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
  if (mark) {
    encoding = mark.encoding;
    chosenBy = 'bom';
    body = bytes.subarray(mark.length);
  } else if (option !== 'auto') {
    encoding = normaliseEncoding(option);
    chosenBy = 'config';
  } else {
    const declared = declaredEncoding(bytes);
    encoding = declared === null ? 'utf-8' : normaliseEncoding(declared);
    chosenBy = declared === null ? 'default' : 'declaration';
  }
  if (encoding === 'utf-8') {
    // Not fatal: an invalid sequence becomes U+FFFD and quarantines only the row holding it.
    return { text: new TextDecoder('utf-8', { fatal: false }).decode(body), encoding, chosenBy };
  }
  if (!iconv.encodingExists(encoding)) {
    throw new LicbridgeError(
      ErrorCodes.SOURCE_SCHEMA,
      `xml-files ${where.source}: decode failed: file ${where.file} declares encoding \`${encoding}\`, which licbridge cannot decode; set \`encoding\` on the source (utf-8, gb18030)`,
      { context: { source: where.source, file: where.file } },
    );
  }
  return { text: iconv.decode(Buffer.from(body), encoding), encoding, chosenBy };
}
