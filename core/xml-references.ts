/**
 * The references an XML reader replaces in text and attribute values (XML 1.0 §4.1, §4.6): the five
 * predefined entities and character references, decimal (`&#65;`) and hexadecimal (`&#x41;`).
 * fast-xml-parser's default decoder replaces the predefined ones only and leaves `&#x2F;` as
 * written; its HTML option also reads `&nbsp;`, `&copy;` and the like, which XML does not know.
 * Nothing a DOCTYPE declares is expanded: neither an OFD part nor a SOAP message (SOAP 1.1 §3)
 * declares entities, and a reader that expanded them could be made to read what was never written.
 * Used for OFD parts (adapters/documents/ofd) and SOAP answers (adapters/platforms/soap-xml).
 */
import type { EntityDecoderOptions } from 'fast-xml-parser';

const PREDEFINED: Readonly<Record<string, string>> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

// One pass, so the text a reference stands for is never read again (`&#38;#x41;` is `&#x41;`).
const REFERENCE = /&(?:#x([0-9A-Fa-f]+);|#([0-9]+);|(amp|lt|gt|quot|apos);)/g;
// The same, and any other `&`: in a well-formed document each `&` starts one of the above
// (XML 1.0 §2.4, WFC: Entity Declared, with no DOCTYPE declaring more).
const ANY_AMPERSAND = /&(?:#x([0-9A-Fa-f]+);|#([0-9]+);|(amp|lt|gt|quot|apos);|)/g;

/** XML 1.0 §2.2 Char: a reference to anything else is not well-formed (WFC: Legal Character). */
function isXmlChar(cp: number): boolean {
  return (
    cp === 0x9 ||
    cp === 0xa ||
    cp === 0xd ||
    (cp >= 0x20 && cp <= 0xd7ff) ||
    (cp >= 0xe000 && cp <= 0xfffd) ||
    (cp >= 0x10000 && cp <= 0x10ffff)
  );
}

function replaced(text: string, pattern: RegExp): string {
  if (!text.includes('&')) return text;
  return text.replace(pattern, (_, hex: string | undefined, dec: string | undefined, name?: string) => {
    if (name !== undefined) return PREDEFINED[name] as string;
    if (hex === undefined && dec === undefined) {
      throw new Error('An & starts no predefined entity or character reference.');
    }
    const digits = (hex ?? dec) as string;
    // Leading zeros are allowed; more than 7 significant digits names nothing below U+10FFFF.
    const cp = digits.replace(/^0+(?=.)/, '').length > 7 ? -1 : Number.parseInt(digits, hex ? 16 : 10);
    if (!isXmlChar(cp)) throw new Error('A character reference names a character XML forbids.');
    return String.fromCodePoint(cp);
  });
}

/**
 * `text` with its references replaced; any other `&…;` left as written. Throws on a reference to
 * a character XML forbids (`&#0;`, a surrogate half): strict readers refuse the document, and
 * fast-xml-parser's decoder dropped it.
 */
export function decodeXmlReferences(text: string): string {
  return replaced(text, REFERENCE);
}

/**
 * `text` with its references replaced, throwing where a conforming reader finds the document not
 * well-formed: a reference to a character XML forbids, an entity XML does not predefine (`&nbsp;`,
 * `&copy;`, one a DOCTYPE declares) and an `&` starting no reference at all.
 */
export function decodeWellFormedXmlReferences(text: string): string {
  return replaced(text, ANY_AMPERSAND);
}

function entityDecoder(decode: (text: string) => string): EntityDecoderOptions {
  return {
    setExternalEntities: () => {},
    addInputEntities: () => {},
    reset: () => {},
    setXmlVersion: () => {},
    decode,
  };
}

/** fast-xml-parser's `entityDecoder` option: the references above, no DOCTYPE entity. */
export const xmlReferences: EntityDecoderOptions = entityDecoder(decodeXmlReferences);

/** As {@link xmlReferences}, but the parse throws where the document is not well-formed. */
export const wellFormedXmlReferences: EntityDecoderOptions = entityDecoder(decodeWellFormedXmlReferences);
