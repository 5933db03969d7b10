// A deflated entry's data ends where its deflate stream ends. Bytes after the stream's last block,
// inside the compressed size the directory states, are inflated by no one (zlib stops at the end
// of the stream and leaves them) and hashed by no one: a whole local record hides there — a page
// of the same name with other content — inside an entry of a sealed file that verified. A reader
// that reads the archive from its start, as Java's ZipInputStream does (an entry with a data
// descriptor ends where its stream ends), takes the hidden record for the next entry and shows the
// forged page. Such an entry is refused, naming it, like bytes between entries (zip-layout.test.ts).
import { deflateRawSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { verifyOfd } from '../../adapters/documents/ofd/ofd-verify.js';
import { readZip } from '../../adapters/documents/zip/zip-reader.js';
import { packBody, writeZip } from '../../adapters/documents/zip/zip-writer.js';
import { useSealedLicense } from './sealed-license.js';

const PAGE = 'Doc_0/Pages/Page_0/Content.xml';
const at = new Date('2026-01-02T03:04:05Z');

/** The archive of `parts`, with `name` deflated and `slack` after its deflate stream, inside its entry. */
function withSlack(parts: readonly { name: string; data: Buffer }[], name: string, slack: Buffer): Buffer {
  return writeZip(
    parts.map((p) => {
      if (p.name !== name) return p;
      const packed = packBody(p.data);
      const stream = deflateRawSync(p.data);
      return { ...p, packed: { ...packed, method: 8 as const, body: Buffer.concat([stream, slack]) } };
    }),
    at,
  );
}

describe('bytes after a deflate stream, inside its entry', () => {
  const sealed = useSealedLicense();

  it('verifies the sealed file with a part deflated, nothing after its stream', () => {
    for (const p of sealed.parts)
      expect(verifyOfd(withSlack(sealed.parts, p.name, Buffer.alloc(0)), sealed.kit.trust).ok).toBe(true);
  });

  it('fails a sealed file with a local record hidden after the stream of a signed part', () => {
    const forged = writeZip([{ name: PAGE, data: Buffer.from('<ofd:Page>forged</ofd:Page>') }], at);
    const hidden = forged.subarray(0, forged.readUInt32LE(forged.length - 22 + 16));
    const zip = withSlack(sealed.parts, 'OFD.xml', hidden);
    // Every signed part still reads and hashes as it was signed: only the slack tells.
    expect(readZip(zip).read(PAGE).equals(readZip(sealed.file).read(PAGE))).toBe(true);
    const result = verifyOfd(zip, sealed.kit.trust);
    expect(result.ok).toBe(false);
    expect(result.problems.join('\n')).toContain(
      `zip: OFD.xml: ${hidden.length} byte(s) after its deflate stream ends, inside the entry`,
    );
  });

  it('refuses a single byte of slack, in any entry', () => {
    for (const p of sealed.parts) {
      const zip = withSlack(sealed.parts, p.name, Buffer.from([0]));
      expect(() => readZip(zip).read(p.name), p.name).toThrow(
        `zip: ${p.name}: 1 byte(s) after its deflate stream ends, inside the entry`,
      );
      expect(verifyOfd(zip, sealed.kit.trust).ok, p.name).toBe(false);
    }
  });
});
