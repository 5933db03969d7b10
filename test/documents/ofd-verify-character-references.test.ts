// XML 1.0 §4.1: `&#x41;` and `&#65;` are the character A wherever they stand, and a producer may
// write any character of a value so (some OFD writers reference `/`, digits or the `+` of base64).
// verify read such references as written: a file another vendor wrote with them in a FileRef, a
// BaseLoc, a SignedValue, a CheckValue or a page ID failed ("the part is missing", "SM3 mismatch",
// "names no page") though its every hash and signature held. The same file re-written here from
// one our writer makes, its references and signature sound, verifies as the file without them.
// Only the XML-predefined and numeric references are read: an HTML name (`&nbsp;`) or a reference
// to a character XML forbids is no XML, and the file fails.
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { layoutFace } from '../../adapters/documents/face/layout.js';
import { docInfoFor } from '../../adapters/documents/ofd/issue-license-file.js';
import { buildOfd, DOC_ROOT, SIGNATURES_PATH } from '../../adapters/documents/ofd/ofd-package.js';
import { prepareSignature, SIGNATURE_XML } from '../../adapters/documents/ofd/ofd-signature.js';
import { verifyOfd } from '../../adapters/documents/ofd/ofd-verify.js';
import { foodLicense, foodTemplate } from './fixtures.js';
import { useSealKit } from './sealed-license.js';
import { sealPrepared } from './sealed-with-page.js';

/** `text` with every character written as a reference, hexadecimal and decimal in turn. */
function referenced(text: string): string {
  return [...text]
    .map((ch, i) => {
      const cp = ch.codePointAt(0) as number;
      return i % 2 === 0 ? `&#x${cp.toString(16).toUpperCase()};` : `&#${cp};`;
    })
    .join('');
}

/** Each attribute `name="…"` and element `<ofd:name>…<` of `xml` with its value referenced. */
function withReferences(xml: string, attributes: string[], elements: string[]): string {
  let out = xml;
  for (const a of attributes)
    out = out.replace(new RegExp(`${a}="([^"]*)"`, 'g'), (_, v: string) => `${a}="${referenced(v)}"`);
  for (const e of elements)
    out = out.replace(new RegExp(`<ofd:${e}>([^<]*)<`, 'g'), (_, v: string) => `<ofd:${e}>${referenced(v)}<`);
  return out;
}

const sm3 = (data: Uint8Array) => createHash('sm3').update(data).digest('base64');

describe('character references in the XML parts verify reads', () => {
  const fixture = useSealKit();

  /**
   * A file our writer makes, its OFD.xml, Document.xml, Signatures.xml and Signature.xml then
   * passed through `edit` (name → text), the check values made anew and the file sealed.
   */
  async function sealedWith(edit: (name: string, xml: string) => string): Promise<Buffer> {
    const license = foodLicense();
    const signedAt = new Date();
    const info = docInfoFor(license, signedAt);
    const doc = buildOfd(layoutFace(foodTemplate, license), info);
    return sealPrepared(fixture.kit, signedAt, () => {
      const prepared = prepareSignature(doc, info, foodTemplate.seal, signedAt);
      const text = (name: string) => Buffer.from(prepared.parts.get(name) as Uint8Array).toString('utf8');
      for (const name of ['OFD.xml', DOC_ROOT, SIGNATURES_PATH])
        prepared.parts.set(name, Buffer.from(edit(name, text(name)), 'utf8'));
      // The check values of the parts as they are now, then Signature.xml's own references.
      const signature = text(SIGNATURE_XML).replace(
        /FileRef="\/([^"]*)"><ofd:CheckValue>[^<]*</g,
        (_, path: string) =>
          `FileRef="/${path}"><ofd:CheckValue>${sm3(prepared.parts.get(path) as Uint8Array)}<`,
      );
      const xml = Buffer.from(edit(SIGNATURE_XML, signature), 'utf8');
      prepared.parts.set(SIGNATURE_XML, xml);
      prepared.dataHash = createHash('sm3').update(xml).digest();
      return prepared;
    });
  }

  const everyPath = (name: string, xml: string): string =>
    name === 'OFD.xml'
      ? withReferences(xml, [], ['DocRoot', 'Signatures'])
      : name === DOC_ROOT
        ? withReferences(xml, ['ID'], [])
        : name === SIGNATURES_PATH
          ? withReferences(xml, ['BaseLoc'], [])
          : withReferences(
              xml,
              ['FileRef', 'PageRef', 'CheckMethod'],
              ['CheckValue', 'SignedValue', 'SignatureMethod', 'SignatureDateTime'],
            );

  it('verifies the file our writer makes', async () => {
    const result = verifyOfd(await sealedWith((_, x) => x), fixture.kit.trust);
    expect(result.problems).toEqual([]);
    expect(result.signatures[0]?.problems).toEqual([]);
    expect(result.ok).toBe(true);
  });

  it('verifies it re-written with numeric references in every path and value verify reads', async () => {
    const file = await sealedWith(everyPath);
    expect(file.includes('FileRef="&#x2F;&#68;')).toBe(true);
    expect(file.includes('BaseLoc="&#x2F;')).toBe(true);
    const result = verifyOfd(file, fixture.kit.trust);
    expect(result.problems).toEqual([]);
    expect(result.signatures[0]?.problems).toEqual([]);
    expect(result.signatures[0]?.references).toBeGreaterThan(3);
    expect(result.ok).toBe(true);
  });

  it('reads a reference once: `&#38;#x2F;` is the text `&#x2F;`, not a slash', async () => {
    const file = await sealedWith((name, x) =>
      name === SIGNATURE_XML ? x.replace('FileRef="/OFD.xml"', 'FileRef="&#38;#x2F;OFD.xml"') : x,
    );
    const result = verifyOfd(file, fixture.kit.trust);
    expect(result.ok).toBe(false);
    expect(result.signatures[0]?.problems).toContain(
      `reference ${SIGNATURE_XML.replace(/[^/]*$/, '')}&#x2F;OFD.xml: the part is missing`,
    );
  });

  it('reads no HTML name: `&sol;` is no slash to XML', async () => {
    const file = await sealedWith((name, x) =>
      name === SIGNATURES_PATH ? x.replace('BaseLoc="/', 'BaseLoc="&sol;') : x,
    );
    expect(verifyOfd(file, fixture.kit.trust).ok).toBe(false);
  });

  it('fails a reference to a character XML forbids, naming the part', async () => {
    const file = await sealedWith((name, x) =>
      name === SIGNATURE_XML ? x.replace('<ofd:SignedValue>/', '<ofd:SignedValue>&#0;/') : x,
    );
    const result = verifyOfd(file, fixture.kit.trust);
    expect(result.ok).toBe(false);
    expect(JSON.stringify(result)).toContain(`${SIGNATURE_XML} is not well-formed XML`);
  });
});
