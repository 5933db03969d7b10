/**
 * The references an XML reader replaces in an OFD part's text and attribute values (XML 1.0 §4.1,
 * §4.6): the five predefined entities and character references, decimal (`&#65;`) and hexadecimal
 * (`&#x41;`). fast-xml-parser's default decoder replaces the predefined ones only and leaves
 * `&#x2F;` as written, so a FileRef, BaseLoc or SignedValue another producer wrote with references
 * named no part here; its HTML option would also read `&nbsp;` and the like, which XML does not
 * know. Nothing the DOCTYPE declares is expanded: an OFD part declares no entities, and a reader
 * that expanded them could be made to read what the signer never wrote.
 */
import type { EntityDecoderOptions } from 'fast-xml-parser';

const PREDEFINED: Readonly<Record<string, string>> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

// One pass, so the text a reference stands for is never read again (`&#38;#x41;` is `&#x41;`).
const REFERENCE = /&(?:#x([0-9A-Fa-f]+)|#([0-9]+)|(amp|lt|gt|quot|apos));/g;

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

/**
 * `text` with its references replaced. Throws on a reference to a character XML forbids (`&#0;`,
 * a surrogate half): strict readers refuse the part, and fast-xml-parser's decoder dropped it.
 */
export function decodeXmlReferences(text: string): string {
  if (!text.includes('&')) return text;
  return text.replace(REFERENCE, (_, hex: string | undefined, dec: string | undefined, name?: string) => {
    if (name !== undefined) return PREDEFINED[name] as string;
    const digits = (hex ?? dec) as string;
    // Leading zeros are allowed; more than 7 significant digits names nothing below U+10FFFF.
    const cp = digits.replace(/^0+(?=.)/, '').length > 7 ? -1 : Number.parseInt(digits, hex ? 16 : 10);
    if (!isXmlChar(cp)) throw new Error('A character reference names a character XML forbids.');
    return String.fromCodePoint(cp);
  });
}

/** fast-xml-parser's `entityDecoder` option: the references above, no DOCTYPE entity. */
export const xmlReferences: EntityDecoderOptions = {
  setExternalEntities: () => {},
  addInputEntities: () => {},
  reset: () => {},
  setXmlVersion: () => {},
  decode: decodeXmlReferences,
};
