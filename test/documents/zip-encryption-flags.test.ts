// An entry marked encrypted cannot be read without a password: PKWARE's traditional encryption
// (flag bit 0) and its strong encryption (bit 6, with bit 0). The directory's flags were checked
// for bit 0 only, and the local header's not at all, so a sealed file whose page is marked
// encrypted in its local header still verified, while a reader that goes by the local header
// (Java's ZipInputStream: "encrypted ZIP entry not supported") refuses the page or reads its first
// twelve bytes as an encryption header. Either mark, in either header, fails the file, naming it.
import { describe, expect, it } from 'vitest';
import { verifyOfd } from '../../adapters/documents/ofd/ofd-verify.js';
import { readZip } from '../../adapters/documents/zip/zip-reader.js';
import { useSealedLicense } from './sealed-license.js';

const PAGE = 'Doc_0/Pages/Page_0/Content.xml';

/** Offsets of the page's local header and its directory entry. */
function headers(zip: Buffer): { local: number; central: number } {
  const end = zip.length - 22;
  for (let p = zip.readUInt32LE(end + 16); zip.readUInt32LE(p) === 0x02014b50; ) {
    const n = zip.readUInt16LE(p + 28);
    if (zip.subarray(p + 46, p + 46 + n).toString() === PAGE)
      return { local: zip.readUInt32LE(p + 42), central: p };
    p += 46 + n + zip.readUInt16LE(p + 30) + zip.readUInt16LE(p + 32);
  }
  throw new Error('no page');
}

/** The file with `bits` set in the page's flags: its local header's (+6) or its directory entry's (+8). */
function flagged(file: Buffer, where: 'local' | 'central', bits: number): Buffer {
  const out = Buffer.from(file);
  const at = where === 'local' ? headers(out).local + 6 : headers(out).central + 8;
  out.writeUInt16LE(out.readUInt16LE(at) | bits, at);
  return out;
}

describe('entries marked encrypted', () => {
  const sealed = useSealedLicense();

  it('verifies the file as sealed', () => {
    expect(verifyOfd(sealed.file, sealed.kit.trust).ok).toBe(true);
  });

  it('fails a page marked encrypted in its local header only', () => {
    for (const bits of [0x0001, 0x0041]) {
      const result = verifyOfd(flagged(sealed.file, 'local', bits), sealed.kit.trust);
      expect(result.ok, bits.toString(16)).toBe(false);
      expect(result.problems.join('\n'), bits.toString(16)).toContain(`zip: ${PAGE} is encrypted`);
    }
  });

  it('fails a page marked strongly encrypted (bit 6) in either header', () => {
    for (const where of ['local', 'central'] as const) {
      expect(() => readZip(flagged(sealed.file, where, 0x0040)).read(PAGE), where).toThrow(
        `zip: ${PAGE} is encrypted`,
      );
      expect(verifyOfd(flagged(sealed.file, where, 0x0040), sealed.kit.trust).ok, where).toBe(false);
    }
  });
});
